// A page for `npm run bench` only: mounts the app's own returns chart with a given series and
// times it until the browser has laid the SVG out. Not linked from the app.
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import ReturnsChart, { type ReturnsPoint } from '../src/components/ReturnsChart';
import '../src/styles.css';
import { whenDom } from './dom-wait';

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

async function benchChart(data: ReturnsPoint[]): Promise<number> {
  const el = document.getElementById('root')!;
  const root = createRoot(el);
  await frame();
  const t0 = performance.now();
  flushSync(() => root.render(<ReturnsChart data={data} />));
  // ResponsiveContainer measures first, then draws: wait until the curve exists (watched, not polled
  // once a frame, which would round every figure up to a frame) and is laid out.
  const curve = () => el.querySelector('.recharts-area-curve');
  await whenDom(el, () => curve() !== null);
  curve()!.getBoundingClientRect();
  const ms = performance.now() - t0;
  root.unmount();
  return ms;
}

(window as unknown as { __benchChart: typeof benchChart }).__benchChart = benchChart;
