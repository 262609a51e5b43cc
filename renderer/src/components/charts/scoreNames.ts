/** Numerai's scores as the model page names and draws them. Colour and dash pattern both tell the lines apart. */
export const SCORE_NAMES = [
  { key: 'corr20', name: 'CORR20', color: 'var(--accent)', dash: undefined, width: 2 },
  { key: 'mmc', name: 'MMC', color: 'var(--warn)', dash: undefined, width: 1.6 },
  { key: 'tc', name: 'TC', color: 'var(--demo)', dash: '5 3', width: 1.6 },
] as const;
