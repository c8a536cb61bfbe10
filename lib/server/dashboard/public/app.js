// The dashboard: sign in with an admin token, load a snapshot, then follow the
// live feed. Controls call the API; the feed brings the resulting changes.
import { api, follow, token } from './api.js';
import { renderDetail } from './views/detail.js';
import { renderJobs, updateJob } from './views/jobs.js';
import { renderAgents, renderEvents, renderPublishes } from './views/side.js';

const $ = (id) => document.getElementById(id);

const state = {
  jobs: new Map(),
  agents: new Map(),
  publishes: [],
  events: [],
  filter: 'active',
  selected: null,
  detail: { job: null, tasks: [], hooks: [] },
};
let feed = null;

// The live feed brings every change of a job in order. An answer to a request was read
// on the server at some moment while it travelled and can arrive after the feed has told
// something newer (a retried job already done, answered as still running): where the feed
// spoke about a job while the request was on its way, the feed's version stands.
const heard = new Map();
const heardOf = (jobId) => heard.get(jobId) ?? 0;

const actions = {
  select: (jobId) => openDetail(jobId),
  pause: (jobId) => control(jobId, 'pause', {}),
  resume: (jobId) => control(jobId, 'resume', {}),
  retry: (jobId, taskIds) => control(jobId, 'retry', taskIds ? { taskIds } : {}).then(() => refreshDetail(jobId)),
  prioritise: (jobId, priority) => control(jobId, 'priority', { priority }),
};

async function control(jobId, verb, body) {
  const before = heardOf(jobId);
  try {
    const answer = await api(`/jobs/${jobId}/${verb}`, { body });
    if (answer?.job && heardOf(answer.job.id) === before) upsertJob(answer.job);
  } catch (err) {
    note('error', `${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
  }
}

function note(level, message) {
  state.events.unshift({ id: `local-${Date.now()}`, at: new Date().toISOString(), type: 'dashboard', level, message });
  renderEvents($('events'), state.events);
}

function drawJobs() {
  renderJobs($('queues'), state.jobs, { filter: state.filter, selectedId: state.selected, actions });
}

function upsertJob(job) {
  const known = state.jobs.get(job.id);
  state.jobs.set(job.id, job);
  if (!known || known.status !== job.status || known.queue !== job.queue || known.priority !== job.priority || !updateJob(job, state)) drawJobs();
  if (state.selected === job.id) {
    state.detail.job = job;
    if (!known || known.status !== job.status) void refreshDetail(job.id);
  }
}

async function openDetail(jobId) {
  state.selected = jobId;
  state.detail = { job: state.jobs.get(jobId) ?? null, tasks: [], hooks: [] };
  $('detail').hidden = false;
  drawJobs();
  await refreshDetail(jobId);
  $('detail-title').focus?.();
}

// Answers can arrive out of order, and live task events can land while one is on its way:
// only the newest answer is shown, and one older than a live event is fetched again.
let detailRequest = 0;
let detailEvents = 0;

async function refreshDetail(jobId) {
  if (state.selected !== jobId) return;
  const request = ++detailRequest;
  const eventsBefore = detailEvents;
  try {
    const { job, tasks, hooks } = await api(`/jobs/${jobId}`);
    if (state.selected !== jobId || request !== detailRequest) return;
    state.detail = { job, tasks, hooks };
    renderDetail($('detail-body'), state.detail, actions);
    if (detailEvents !== eventsBefore) void refreshDetail(jobId);
  } catch (err) {
    note('error', err.message);
  }
}

function onEvent(event) {
  switch (event.kind) {
    case 'job':
      heard.set(event.job.id, heardOf(event.job.id) + 1);
      return upsertJob(event.job);
    case 'task':
      if (state.selected === event.jobId) {
        detailEvents++;
        const tasks = state.detail.tasks.filter((t) => t.id !== event.task.id);
        state.detail.tasks = [...tasks, event.task].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
        renderDetail($('detail-body'), state.detail, actions);
      }
      return;
    case 'agent':
      state.agents.set(event.agent.vendor, event.agent);
      return renderAgents($('agents'), state.agents);
    case 'hook':
      if (state.selected === event.hook.jobId) void refreshDetail(event.hook.jobId);
      return;
    case 'publish':
      state.publishes.unshift(event.publish);
      return renderPublishes($('publishes'), state.publishes);
    case 'log':
      state.events.unshift(event.entry);
      state.events.length = Math.min(state.events.length, 200);
      return renderEvents($('events'), state.events);
  }
}

async function loadSnapshot() {
  const before = new Map(heard);
  const [jobs, agents, publishes, events] = await Promise.all([api('/jobs'), api('/agents'), api('/publishes?limit=20'), api('/events?limit=100')]);
  const fresh = new Map(jobs.jobs.map((job) => [job.id, job]));
  // Jobs the feed spoke about while the snapshot travelled (changed or just created) keep the feed's version.
  for (const [id, job] of state.jobs) if (heardOf(id) !== (before.get(id) ?? 0)) fresh.set(id, job);
  state.jobs = fresh;
  state.agents = new Map(agents.agents.map((agent) => [agent.vendor, agent]));
  state.publishes = publishes.publishes;
  state.events = events.events;
  drawJobs();
  renderAgents($('agents'), state.agents);
  renderPublishes($('publishes'), state.publishes);
  renderEvents($('events'), state.events);
  if (state.selected) await refreshDetail(state.selected);
}

function setConnection(text, live) {
  $('connection').textContent = text;
  $('connection').dataset.state = live;
}

async function start() {
  $('login').hidden = true;
  $('board').hidden = false;
  $('logout').hidden = false;
  setConnection('Connecting…', 'connecting');
  feed?.abort();
  feed = new AbortController();
  // Follow first, then load, so nothing that happens in between is missed.
  const following = follow({
    signal: feed.signal,
    onEvent,
    onReconnected: () => void loadSnapshot().catch((err) => note('error', err.message)),
    onState: (s) => {
      if (s === 'live') setConnection('Live', 'live');
      else if (s === 'reconnecting') setConnection('Reconnecting…', 'reconnecting');
      else signOut('Your token was refused; sign in again.');
    },
  });
  await loadSnapshot();
  await following;
}

function signOut(message) {
  feed?.abort();
  token.clear();
  $('board').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message ?? '';
  setConnection('Not signed in', 'signed-out');
  $('token').focus();
}

async function signIn(candidate) {
  try {
    await api('/session', { bearer: candidate });
    token.set(candidate);
    $('login-error').textContent = '';
    $('token').value = '';
    void start().catch((err) => note('error', err.message));
  } catch (err) {
    signOut(err.status === 401 ? 'That token is not valid for this server.' : err.message);
  }
}

function boot() {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn($('token').value.trim());
  });
  $('logout').addEventListener('click', () => signOut());
  $('job-filter').addEventListener('change', (event) => {
    state.filter = event.target.value;
    drawJobs();
  });
  $('detail-close').addEventListener('click', () => {
    state.selected = null;
    $('detail').hidden = true;
    drawJobs();
  });
  $('detail-title').tabIndex = -1;
  // "last contact 2m ago" ages while nothing else changes.
  setInterval(() => {
    if (!$('board').hidden) renderAgents($('agents'), state.agents);
  }, 30_000);
  // A link with #token=… (printed by `handoff demo`) signs in; the token never reaches the server's logs.
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) history.replaceState(null, '', location.pathname + location.search);
  const saved = fromLink ?? token.get();
  if (saved) void signIn(saved);
  else signOut();
}

boot();
