/**
 * The demo page: the settings form, the sphere (d = 3) or histogram (d > 3) view, the
 * min-angle chart, and the worker that optimises. Start creates the worker (or resumes it),
 * pause pauses it, reset terminates it; any change of a setting during a run restarts the run
 * with the new settings.
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { KeepdistError } from '@keepdist/autograd';
import { fastestBackend } from '../fastest.js';
import type { BackendId, BackendProbe, Frame, FromWorker, RunConfig, ToWorker } from '../protocol.js';
import { HistogramChart, MinAngleChart } from './charts.js';
import { SettingsForm, type ViewId } from './form.js';
import { SphereView } from './sphereView.js';
import { tammesOptimumDeg } from './tammes.js';

const el = (id: string): HTMLElement => document.getElementById(id)!;
const workerUrl = new URL('./worker.js', import.meta.url);

/** Whether the worker is absent, configured but paused, or stepping. */
type State = 'stopped' | 'paused' | 'running';

class Demo {
  private readonly form = new SettingsForm();
  private readonly sphere = new SphereView(el('sphere-view'));
  private readonly histogram = new HistogramChart(el('histogram-view'));
  private readonly chart = new MinAngleChart(el('chart'));
  private worker: Worker | null = null;
  private config: RunConfig | null = null;
  private state: State = 'stopped';
  /** Messages received from run workers (the page's test reads it after a reset). */
  private received = 0;
  /** The newest frame not drawn yet, and its run's size. */
  private latest: { frame: Frame; d: number; n: number } | null = null;
  private drawScheduled = false;

  constructor() {
    el('start').addEventListener('click', () => this.start());
    el('pause').addEventListener('click', () => this.pause());
    el('reset').addEventListener('click', () => this.reset());
    for (const view of ['sphere', 'high'] as const) el(`view-${view}`).addEventListener('click', () => this.showView(view));
    this.form.onChange = () => {
      const wasRunning = this.state === 'running';
      this.reset();
      if (wasRunning) this.start();
      else this.showBackend();
    };
    this.showView('sphere');
    this.probe().catch((e: unknown) => this.showError(e));
  }

  /** Asks a short-lived worker which backends this browser offers. */
  private async probe(): Promise<void> {
    const w = new Worker(workerUrl, { type: 'module' });
    const probes = await new Promise<BackendProbe[]>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'probed') resolve(e.data.backends);
        else if (e.data.type === 'error') reject(new KeepdistError(`demo: expected the worker to list its backends, got '${e.data.message}'. Only the cpu backend is offered.`));
      };
      w.onerror = (e) => reject(new KeepdistError(`demo: expected the worker to load, got '${e.message}'. Check that worker.js is served beside main.js.`));
      w.postMessage({ type: 'probe' } satisfies ToWorker);
    }).finally(() => w.terminate());
    this.form.setProbes(probes);
    el('backends').textContent = probes.map((p) => `${p.id}: ${p.available ? p.detail : `unavailable (${p.detail})`}`).join('\n');
    document.body.dataset['probed'] = 'true';
    this.showBackend();
  }

  /** The backend the form asks for, auto resolved for the current size. */
  private resolvedBackend(config = this.form.config('cpu')): BackendId {
    const choice = this.form.backendChoice;
    return choice === 'auto' ? fastestBackend(this.form.backendProbes, config.n, config.d) : choice;
  }

  private showBackend(): void {
    if (this.state !== 'stopped') return;
    try {
      el('backend-name').textContent = `${this.resolvedBackend()} (not started)`;
    } catch (e) {
      this.showError(e);
    }
  }

  private showView(view: ViewId): void {
    this.reset();
    this.form.setView(view);
    document.body.dataset['view'] = view;
    el('view-sphere').classList.toggle('active', view === 'sphere');
    el('view-high').classList.toggle('active', view === 'high');
    this.showBackend();
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'stopped') {
      let config: RunConfig;
      try {
        config = this.form.config('cpu');
        config.backend = this.resolvedBackend(config);
      } catch (e) {
        this.showError(e);
        return;
      }
      this.config = config;
      const optimum = config.d === 3 ? tammesOptimumDeg(config.n) : undefined;
      this.chart.reset(optimum);
      el('optimum').textContent = optimum === undefined ? (config.d === 3 ? `none tabulated for n = ${config.n}` : '–') : `${optimum}°`;
      const w = new Worker(workerUrl, { type: 'module' });
      w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(w, e.data);
      w.onerror = (e) => this.showError(e.message || 'the worker failed to load');
      this.worker = w;
      el('backend-name').textContent = `${config.backend} (starting)`;
      this.send({ type: 'configure', config });
    }
    this.send({ type: 'run' });
    delete document.body.dataset['workerPausedAt'];
    this.setState('running');
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.send({ type: 'pause' });
    this.setState('paused');
  }

  /** Terminates the worker: no message of that run arrives after this. */
  reset(): void {
    this.worker?.terminate();
    this.worker = null;
    this.config = null;
    this.latest = null;
    this.setState('stopped');
    this.chart.reset(undefined);
    this.sphere.clear();
    this.histogram.show(undefined, 3, 0);
    el('iteration').textContent = '0';
    el('min-angle').textContent = '–';
    el('speed').textContent = '–';
    el('loss').textContent = '–';
    el('optimum').textContent = '–';
    el('error').textContent = '';
  }

  private receive(from: Worker, msg: FromWorker): void {
    if (from !== this.worker || !this.config) return;
    this.received++;
    document.body.dataset['received'] = String(this.received);
    switch (msg.type) {
      case 'ready':
        el('backend-name').textContent = `${msg.backend} (${msg.dtype})`;
        document.body.dataset['backend'] = msg.backend;
        return;
      case 'frame': {
        const f = msg.frame;
        el('iteration').textContent = String(f.iteration);
        el('min-angle').textContent = `${f.minAngleDeg.toFixed(3)}°`;
        document.body.dataset['minAngle'] = String(f.minAngleDeg);
        el('speed').textContent = f.iteration === 0 ? '–' : `${f.itersPerSecond.toFixed(0)} it/s`;
        el('loss').textContent = Number.isNaN(f.loss) ? '–' : f.loss.toPrecision(6);
        this.chart.push(f.iteration, f.minAngleDeg);
        this.latest = { frame: f, d: this.config.d, n: this.config.n };
        this.scheduleDraw();
        return;
      }
      case 'paused': // the worker's loop has stopped: no frame follows until the next 'run'
        document.body.dataset['workerPausedAt'] = String(msg.iteration);
        return;
      case 'error':
        this.showError(msg.message);
        this.worker?.terminate();
        this.worker = null;
        this.setState('stopped');
        return;
      case 'probed':
        return;
    }
  }

  /** Draws the latest frame on the next animation frame: frames that arrive faster are coalesced. */
  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      const latest = this.latest;
      this.latest = null;
      if (!latest) return;
      this.chart.redraw();
      if (latest.frame.positions) this.sphere.setPoints(latest.frame.positions);
      if (latest.frame.histogram) this.histogram.show(latest.frame.histogram, latest.d, latest.n);
    });
  }

  private setState(state: State): void {
    this.state = state;
    document.body.dataset['state'] = state;
    el('state').textContent = state;
    (el('start') as HTMLButtonElement).disabled = state === 'running';
    (el('pause') as HTMLButtonElement).disabled = state !== 'running';
  }

  private showError(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    el('error').textContent = message;
    console.warn(`demo: ${message}`);
  }
}

new Demo();
