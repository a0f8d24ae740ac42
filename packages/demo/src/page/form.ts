/**
 * The settings form: the view (S² or S^{d−1}), method and its options (from the registry's
 * schema), n, d, learning rate, optimizer, retraction, backend and seed; read into a RunConfig.
 */
import { KeepdistError, OptionError } from '@keepdist/autograd';
import type { OptionSchema } from '@keepdist/dispersion';
import { DEMO_METHODS, methodOptions } from '../methods.js';
import type { BackendId, BackendProbe, OptionValue, RunConfig } from '../protocol.js';

/** The two views. */
export type ViewId = 'sphere' | 'high';

/** What the backend picker holds: a backend, or auto (the fastest available). */
export type BackendChoice = BackendId | 'auto';

/** Per-view starting values. */
const VIEW_DEFAULTS: Record<ViewId, { n: number; d: number; method: string; lr: number; postEvery: number }> = {
  sphere: { n: 24, d: 3, method: 'mma', lr: 0.01, postEvery: 5 },
  high: { n: 1000, d: 64, method: 'mmd-riesz-euclidean', lr: 0.01, postEvery: 5 },
};

/** High-dimensional view: the dimensions offered. */
export const HIGH_DIMENSIONS: readonly number[] = [16, 32, 64, 128, 256];

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new KeepdistError(`demo: expected an element #${id} in the page, got none. Serve the page built from src/index.html.`);
  return el as T;
};

/** Makes the form field of one regularizer option. */
function optionField(o: OptionSchema): HTMLElement {
  const label = document.createElement('label');
  label.title = o.description;
  label.append(`${o.name} `);
  let input: HTMLInputElement | HTMLSelectElement;
  if (o.type === 'enum') {
    input = document.createElement('select');
    for (const v of o.values ?? []) input.add(new Option(v, v, false, v === o.default));
  } else {
    input = document.createElement('input');
    if (o.type === 'boolean') {
      input.type = 'checkbox';
      input.checked = o.default === true;
    } else {
      input.type = 'number';
      input.step = o.type === 'integer' ? '1' : 'any';
      if (o.min !== undefined) input.min = String(o.min);
      input.placeholder = o.default === undefined ? 'all rows' : String(o.default);
      if (o.default !== undefined) input.value = String(o.default);
    }
  }
  input.dataset['option'] = o.name;
  input.dataset['kind'] = o.type;
  label.append(input);
  return label;
}

/** The form, bound to the page's elements. */
export class SettingsForm {
  /** Called after any change of a setting. */
  onChange: () => void = () => {};
  private view: ViewId = 'sphere';
  private readonly method = byId<HTMLSelectElement>('method');
  private readonly options = byId<HTMLElement>('method-options');
  private readonly n = byId<HTMLInputElement>('n');
  private readonly d = byId<HTMLSelectElement>('d');
  private readonly lr = byId<HTMLInputElement>('lr');
  private readonly optimizer = byId<HTMLSelectElement>('optimizer');
  private readonly retraction = byId<HTMLSelectElement>('retraction');
  private readonly backend = byId<HTMLSelectElement>('backend');
  private readonly seed = byId<HTMLInputElement>('seed');
  private readonly postEvery = byId<HTMLInputElement>('post-every');
  private probes: BackendProbe[] = [{ id: 'cpu', available: true, detail: 'float64, JavaScript', software: false }];

  constructor() {
    for (const m of DEMO_METHODS) this.method.add(new Option(m, m));
    for (const d of HIGH_DIMENSIONS) this.d.add(new Option(String(d), String(d)));
    this.fillBackends();
    this.setView('sphere');
    this.method.addEventListener('change', () => this.fillOptions());
    byId('settings').addEventListener('change', () => this.onChange());
  }

  /** The current view. */
  get currentView(): ViewId {
    return this.view;
  }

  /** Switches the view and loads its starting values. */
  setView(view: ViewId): void {
    this.view = view;
    const v = VIEW_DEFAULTS[view];
    this.n.value = String(v.n);
    this.n.max = view === 'sphere' ? '500' : '5000';
    this.d.value = String(v.d);
    byId('d-field').hidden = view === 'sphere';
    this.method.value = v.method;
    this.lr.value = String(v.lr);
    this.postEvery.value = String(v.postEvery);
    this.fillOptions();
  }

  /** Lists the backends the worker probed (unavailable ones disabled, with the reason). */
  setProbes(probes: BackendProbe[]): void {
    this.probes = probes;
    this.fillBackends();
  }

  /** The backend picker's value. */
  get backendChoice(): BackendChoice {
    return this.backend.value as BackendChoice;
  }

  /** Selects a backend in the picker (tests and the page's own fallbacks). */
  set backendChoice(choice: BackendChoice) {
    this.backend.value = choice;
  }

  /** The probed backends. */
  get backendProbes(): readonly BackendProbe[] {
    return this.probes;
  }

  /** The run the form describes, with `backend` resolved by the caller. */
  config(backend: BackendId): RunConfig {
    const options: Record<string, OptionValue> = {};
    for (const el of Array.from(this.options.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-option]'))) {
      const key = el.dataset['option']!, kind = el.dataset['kind'];
      if (kind === 'boolean') options[key] = (el as HTMLInputElement).checked;
      else if (kind === 'enum') options[key] = el.value;
      else if (el.value.trim() !== '') options[key] = Number(el.value);
    }
    const sphere = this.view === 'sphere';
    return {
      method: this.method.value, options, n: this.int(this.n, 2), d: sphere ? 3 : Number(this.d.value), lr: Number(this.lr.value),
      optimizer: this.optimizer.value as RunConfig['optimizer'], retraction: this.retraction.value as RunConfig['retraction'],
      backend, seed: this.int(this.seed, 0), postEvery: this.int(this.postEvery, 1), histogramBins: sphere ? 0 : 90,
    };
  }

  private int(el: HTMLInputElement, min: number): number {
    const v = Math.round(Number(el.value));
    if (!Number.isFinite(v) || v < min) throw new OptionError(`demo: expected ${el.id} an integer ≥ ${min}, got '${el.value}'. Enter a whole number.`);
    return v;
  }

  private fillOptions(): void {
    this.options.replaceChildren(...methodOptions(this.method.value).map(optionField));
  }

  private fillBackends(): void {
    const keep = this.backend.value || 'auto';
    this.backend.replaceChildren(new Option('auto (fastest available)', 'auto'));
    for (const p of this.probes) {
      const o = new Option(`${p.id}${p.available ? (p.software ? ' (software)' : '') : ' (unavailable)'}`, p.id);
      o.disabled = !p.available;
      o.title = p.detail;
      this.backend.add(o);
    }
    this.backend.value = Array.from(this.backend.options).some((o) => o.value === keep && !o.disabled) ? keep : 'auto';
  }
}
