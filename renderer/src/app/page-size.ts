/**
 * Rows a page of the model list asks main for: the table shows about 15 and draws 12 more above and
 * below, so 50 cover the first screen; every row more is work on both sides of a sort click (main
 * builds each row's sparkline, both sides check the answer against the contract).
 */
export const MODEL_PAGE_SIZE = 50;
