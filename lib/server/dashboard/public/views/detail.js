// One job: its tasks with their state, size and last error, and the hook results.
import { h, replaceChildren } from '../dom.js';
import { bytes, clock } from '../format.js';

function taskRow(task, actions, jobId) {
  const error = task.lastError ? h('p', { class: 'error small', dataset: { field: 'error' } }, `${task.lastError.code}: ${task.lastError.message}`) : null;
  const retry =
    task.status === 'failed' || task.status === 'onhold'
      ? h('button', { type: 'button', class: 'quiet small', dataset: { action: 'retry-task' }, onclick: () => actions.retry(jobId, [task.id]) }, 'Retry')
      : null;
  const share = task.bytesTotal > 0 ? task.bytesDone / task.bytesTotal : task.status === 'done' ? 1 : 0;
  return h(
    'li',
    { class: 'task', dataset: { taskId: task.id, status: task.status } },
    h('div', { class: 'task-head' }, h('span', { class: `badge status-${task.status}` }, task.status), h('span', { class: 'path' }, task.source), retry),
    task.destination !== task.source ? h('p', { class: 'muted small path' }, `→ ${task.destination}`) : null,
    h('progress', { max: 1000, value: Math.round(share * 1000), 'aria-label': `${task.source}: ${Math.floor(share * 100)}% done` }),
    h(
      'p',
      { class: 'facts small' },
      h('span', {}, `${bytes(task.bytesDone)} of ${bytes(task.bytesTotal)}`),
      h('span', {}, `${task.files} file${task.files === 1 ? '' : 's'}`),
      h('span', {}, `priority ${task.priority}`),
      task.attempts > 1 ? h('span', {}, `${task.attempts} attempts`) : null,
    ),
    error,
  );
}

function hookRow(hook) {
  return h(
    'li',
    { class: 'hook', dataset: { ok: String(hook.ok) } },
    h('span', { class: `badge ${hook.ok ? 'status-done' : 'status-failed'}` }, hook.ok ? 'ok' : 'failed'),
    h('span', {}, ` ${hook.hook} (${hook.on}) · ${clock(hook.at)} · ${hook.durationMs} ms`),
    hook.error ? h('p', { class: 'error small' }, `${hook.error.code}: ${hook.error.message}`) : null,
    hook.log ? h('details', {}, h('summary', { class: 'small' }, 'Output'), h('pre', { class: 'small' }, hook.log)) : null,
  );
}

export function renderDetail(container, { job, tasks, hooks }, actions) {
  if (!job) return replaceChildren(container, [h('p', { class: 'muted' }, 'Loading…')]);
  const failed = tasks.filter((t) => t.status === 'failed').length;
  replaceChildren(container, [
    h('h3', { class: 'detail-name' }, job.name),
    h('p', { class: 'muted small' }, `${tasks.length} task${tasks.length === 1 ? '' : 's'}${failed ? ` · ${failed} failed` : ''} · created ${new Date(job.createdAt).toLocaleString()}`),
    tasks.length ? h('ul', { class: 'tasks rows' }, tasks.map((task) => taskRow(task, actions, job.id))) : h('p', { class: 'muted' }, 'No tasks yet.'),
    h('h4', {}, 'Hooks'),
    hooks.length ? h('ul', { class: 'rows' }, hooks.map(hookRow)) : h('p', { class: 'muted small' }, 'No hook has run for this job.'),
  ]);
}
