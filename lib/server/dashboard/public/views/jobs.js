// Jobs by queue: one card per job, built once and updated in place so live
// progress never steals focus from a control someone is using.
import { h, replaceChildren } from '../dom.js';
import { bytes, duration, percent, speed } from '../format.js';

const ACTIVE = new Set(['init', 'waiting', 'running', 'paused', 'failed']);
const QUEUE_ORDER = ['high', 'default', 'low'];
const PRIORITIES = [
  ['Low', 100],
  ['Normal', 500],
  ['High', 900],
];

const cards = new Map();

export function visible(job, filter) {
  if (filter === 'all') return true;
  if (filter === 'active') return ACTIVE.has(job.status);
  return job.status === filter;
}

function buildCard(job, actions) {
  const parts = {
    title: h('button', { type: 'button', class: 'link', onclick: () => actions.select(job.id) }),
    status: h('span', { class: 'badge' }),
    progress: h('progress', { max: 1000, value: 0 }),
    percent: h('span', { class: 'percent', dataset: { field: 'percent' } }),
    size: h('span', { dataset: { field: 'size' } }),
    files: h('span', { dataset: { field: 'files' } }),
    speed: h('span', { dataset: { field: 'speed' } }),
    eta: h('span', { dataset: { field: 'eta' } }),
    route: h('p', { class: 'muted small route' }),
    toggle: h('button', { type: 'button', dataset: { action: 'toggle' } }),
    retry: h('button', { type: 'button', class: 'quiet', dataset: { action: 'retry' }, onclick: () => actions.retry(job.id) }, 'Retry failed'),
    priority: h('select', { 'aria-label': `Priority of ${job.name}`, dataset: { action: 'priority' } }),
  };
  parts.toggle.addEventListener('click', () => (parts.toggle.dataset.paused === 'true' ? actions.resume(job.id) : actions.pause(job.id)));
  parts.priority.addEventListener('change', () => actions.prioritise(job.id, Number(parts.priority.value)));
  const card = h(
    'article',
    { class: 'job', dataset: { jobId: job.id } },
    h('header', {}, h('h3', {}, parts.title), parts.status),
    parts.route,
    h('div', { class: 'meter' }, parts.progress, parts.percent),
    h('p', { class: 'facts' }, parts.size, parts.files, parts.speed, parts.eta),
    h('div', { class: 'controls' }, parts.toggle, parts.retry, h('label', { class: 'inline small' }, 'Priority ', parts.priority)),
  );
  cards.set(job.id, { card, parts });
  return cards.get(job.id);
}

const party = (p) => (p.kind === 'hq' ? `HQ${p.volume ? ` (${p.volume})` : ''}` : p.vendor);

function fill({ card, parts }, job, selectedId) {
  const p = job.progress;
  card.dataset.status = job.status;
  card.classList.toggle('selected', job.id === selectedId);
  parts.title.textContent = job.name;
  parts.status.textContent = job.status;
  parts.status.className = `badge status-${job.status}`;
  parts.route.textContent = `${party(job.source)} → ${party(job.destination)} · queue ${job.queue}`;
  parts.progress.value = Math.round((p.fraction ?? 0) * 1000);
  parts.progress.setAttribute('aria-label', `${job.name}: ${percent(p.fraction)} done`);
  parts.percent.textContent = percent(p.fraction);
  parts.size.textContent = `${bytes(p.bytesDone)} of ${bytes(p.bytesTotal)}`;
  parts.files.textContent = `${p.filesDone}/${p.filesTotal} files`;
  parts.speed.textContent = job.status === 'running' ? speed(p.speed) : '';
  parts.eta.textContent = job.status === 'running' && p.eta !== undefined ? `ETA ${duration(p.eta)}` : '';
  const paused = job.status === 'paused';
  const ended = job.status === 'done' || job.status === 'aborted';
  parts.toggle.dataset.paused = String(paused);
  parts.toggle.textContent = paused ? 'Resume' : 'Pause';
  parts.toggle.hidden = ended;
  parts.retry.hidden = job.status !== 'failed';
  const current = job.priority ?? 500;
  const options = PRIORITIES.some(([, v]) => v === current) ? PRIORITIES : [...PRIORITIES, [`Custom (${current})`, current]];
  if (parts.priority.options.length !== options.length || parts.priority.value !== String(current)) {
    replaceChildren(parts.priority, options.map(([label, value]) => h('option', { value }, label)));
    parts.priority.value = String(current);
  }
  parts.priority.closest('label').hidden = ended;
}

/** Shows the jobs that pass the filter, grouped by queue. */
export function renderJobs(container, jobs, { filter, selectedId, actions }) {
  const shown = [...jobs.values()].filter((job) => visible(job, filter));
  const queues = [...new Set(shown.map((job) => job.queue))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (!shown.length) {
    replaceChildren(container, [h('p', { class: 'muted empty' }, filter === 'active' ? 'No active jobs.' : 'No jobs.')]);
    return;
  }
  const groups = queues.map((queue) => {
    const list = shown
      .filter((job) => job.queue === queue)
      .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || String(b.createdAt).localeCompare(String(a.createdAt)));
    const items = list.map((job) => {
      const entry = cards.get(job.id) ?? buildCard(job, actions);
      fill(entry, job, selectedId);
      return entry.card;
    });
    return h('section', { class: 'queue', 'aria-label': `Queue ${queue}` }, h('h3', { class: 'queue-name' }, `Queue ${queue}`, h('span', { class: 'muted' }, ` · ${list.length}`)), ...items);
  });
  // Move the existing cards into fresh groups; the cards (and any focus inside them) survive.
  const focused = document.activeElement;
  replaceChildren(container, groups);
  if (focused && container.contains(focused) && focused !== document.activeElement) focused.focus();
}

/** Updates one job's card in place, when it is on screen. */
export function updateJob(job, { filter, selectedId }) {
  const entry = cards.get(job.id);
  if (!entry || !entry.card.isConnected) return false;
  if (!visible(job, filter)) return false;
  fill(entry, job, selectedId);
  return true;
}

function rank(queue) {
  const i = QUEUE_ORDER.indexOf(queue);
  return i < 0 ? QUEUE_ORDER.length : i;
}
