// Agents, recent publishes and the event log.
import { h, replaceChildren } from '../dom.js';
import { ago, clock, speed } from '../format.js';

export function renderAgents(container, agents) {
  const list = [...agents.values()].sort((a, b) => Number(b.online) - Number(a.online) || a.vendor.localeCompare(b.vendor));
  if (!list.length) return replaceChildren(container, [h('li', { class: 'muted' }, 'No vendor agents yet. Invite one with `handoff vendor invite`.')]);
  replaceChildren(
    container,
    list.map((agent) =>
      h(
        'li',
        { class: 'agent', dataset: { vendor: agent.vendor, online: String(agent.online) } },
        h('span', { class: `dot ${agent.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
        h('strong', {}, agent.vendor),
        h('span', { class: 'muted small' }, agent.online ? ' online' : agent.enrolled ? ' offline' : ' not enrolled'),
        h('p', { class: 'facts small' }, h('span', {}, `last contact ${ago(agent.lastContact)}`), h('span', {}, agent.throughput > 0 ? speed(agent.throughput) : 'idle'), agent.online ? h('span', {}, `${agent.streams} streams`) : null),
      ),
    ),
  );
}

const VERDICTS = { can_publish: 'publishable', warning: 'warning', rejected: 'rejected' };

export function renderPublishes(container, publishes) {
  if (!publishes.length) return replaceChildren(container, [h('li', { class: 'muted' }, 'Nothing published yet.')]);
  replaceChildren(
    container,
    publishes.slice(0, 20).map((p) =>
      h(
        'li',
        { class: 'publish', dataset: { ok: String(p.ok) } },
        h('span', { class: `badge ${p.ok ? 'status-done' : 'status-failed'}` }, p.ok ? `v${String(p.version ?? '?').padStart(3, '0')}` : 'failed'),
        h('span', { class: 'path' }, ` ${p.folder}`),
        h(
          'p',
          { class: 'facts small' },
          p.vendor ? h('span', {}, p.vendor) : null,
          p.verdict ? h('span', {}, `pre-publish: ${VERDICTS[p.verdict] ?? p.verdict}`) : null,
          p.versionId ? h('span', {}, `tracker version ${p.versionId}`) : null,
          h('span', {}, clock(p.at)),
        ),
        p.errors.length ? h('p', { class: 'error small' }, p.errors.join('; ')) : null,
      ),
    ),
  );
}

export function renderEvents(container, events) {
  if (!events.length) return replaceChildren(container, [h('li', { class: 'muted' }, 'No events yet.')]);
  replaceChildren(
    container,
    events.slice(0, 100).map((e) =>
      h('li', { class: `event level-${e.level}`, dataset: { type: e.type } }, h('time', { datetime: e.at, class: 'muted small' }, clock(e.at)), ' ', h('span', {}, e.message)),
    ),
  );
}
