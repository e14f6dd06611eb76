// The simulator page: draws the snapshots the server streams (/sim/events) and sends what the person types and
// clicks to the server's JSON API. Every element is built by dom.js: nothing the app sends is ever parsed as HTML.

import { build, make } from './dom.js';

const ROLE_LABELS = {
  primary_owner: 'Primary Owner', owner: 'Owner', admin: 'Admin', member: 'Member',
  guest: 'Guest', single_channel_guest: 'Single-channel guest', deactivated: 'Deactivated',
};

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let me = params.get('user') || localStorage.getItem('sim.user') || '';
let channel = params.get('channel') || localStorage.getItem('sim.channel') || '';
let snapshot = null;
let shownModal = '';
let shownMessages = '';
let events = null;
/** What the main area shows: a channel, the app's Home tab, or the Workflows panel. */
let pane = 'channel';

// Slack's client forgets open modals when it is reloaded: the first snapshot after loading closes any left open.
let justLoaded = true;

async function call(path, body) {
  try {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return await response.json().catch(() => ({ ok: false, error: `http_${response.status}` }));
  } catch (error) {
    return { ok: false, error: 'network', message: `The simulator could not be reached (${error.message}). Is npm start still running?` };
  }
}

function connect() {
  if (events) events.close();
  events = new EventSource(`/sim/events${me ? `?user=${encodeURIComponent(me)}` : ''}`);
  events.onmessage = (event) => draw(JSON.parse(event.data));
}

function draw(next) {
  if (justLoaded) {
    justLoaded = false;
    if (next.modal) {
      call('/sim/view-close', { user: next.me, viewId: 'all' });
      next = { ...next, modal: null };
    }
  }
  snapshot = next;
  me = next.me;
  if (!channel || !next.channels.some((c) => c.id === channel)) channel = next.defaultChannel || (next.channels[0] && next.channels[0].id) || '';
  drawSidebar();
  drawMessages();
  drawExamples();
  drawPanes();
  drawModal();
  document.body.dataset.version = String(next.version);
  document.body.dataset.user = me;
}

function drawSidebar() {
  const select = $('sim-user');
  select.replaceChildren(...snapshot.people.map((person) => {
    const option = make('option', undefined, `${person.name} (${ROLE_LABELS[person.role] || person.role})`);
    option.value = person.id;
    option.selected = person.id === me;
    return option;
  }));
  const person = snapshot.people.find((p) => p.id === me);
  $('sim-role').textContent = person ? `${person.id} · ${person.locale}${person.note ? ` · ${person.note}` : ''}` : '';
  $('sim-channels').replaceChildren(...snapshot.channels.map((c) => {
    const item = make('li', c.id === channel && pane === 'channel' ? 'sim-current' : '', c.dm ? `✉ ${c.name} (app DM)` : `# ${c.name}`);
    item.dataset.channel = c.id;
    item.addEventListener('click', () => {
      channel = c.id;
      pane = 'channel';
      localStorage.setItem('sim.channel', channel);
      draw(snapshot);
    });
    return item;
  }));
  const current = snapshot.channels.find((c) => c.id === channel);
  const header = $('sim-channel-header');
  header.replaceChildren(make('span', undefined, current ? (current.dm ? current.name : `# ${current.name}`) : ''));
  if (current && current.note) header.append(make('small', undefined, current.note));
  $('sim-input').placeholder = current ? `Message ${current.dm ? current.name : `#${current.name}`} — or a slash command, e.g. /im-user alice bob` : '';
}

function drawMessages() {
  const pane = $('sim-messages');
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  const messages = snapshot.messages.filter((m) => m.channel === channel);
  if (messages.length === 0) {
    pane.replaceChildren(make('div', 'sim-empty', 'No messages yet. Type a command below.'));
    return;
  }
  pane.replaceChildren(...messages.map(drawMessage));
  // Follow new messages; stay put when someone scrolled up and nothing new arrived here.
  const key = `${me}/${channel}/${messages.length}/${messages.at(-1).id}`;
  if (atBottom || key !== shownMessages) pane.scrollTop = pane.scrollHeight;
  shownMessages = key;
}

function drawMessage(message) {
  const row = make('div', `sim-message${message.ephemeral ? ' sim-ephemeral' : ''} sim-${message.kind}${message.kind === 'error' ? ' sim-error-message' : ''}`);
  row.dataset.messageId = message.id;
  row.dataset.testid = 'message';
  row.dataset.via = message.via;
  const avatar = make('div', `sim-avatar${message.author.bot ? ' sim-bot' : ''}`, message.author.name.slice(0, 1).toUpperCase());
  const main = make('div', 'sim-message-main');
  if (message.ephemeral) main.append(make('div', 'sim-ephemeral-note', '⊙ Only visible to you'));
  const meta = make('div', 'sim-meta');
  meta.append(make('strong', undefined, message.author.name));
  if (message.author.bot) meta.append(make('span', 'sim-app-tag', 'APP'));
  const time = make('span', 'sim-time', new Date(Number(message.ts.split('.')[0]) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  time.title = `via ${message.via}`;
  meta.append(time);
  const body = make('div', 'sim-message-body');
  body.append(...message.body.map(build));
  main.append(meta, body);
  row.append(avatar, main, messageMenu(message));
  return row;
}

// ⋮ on a message: the app's message shortcuts, as Slack lists them under "More message shortcuts".
function messageMenu(message) {
  const wrap = make('span');
  const open = make('button', 'sim-message-menu', '⋮');
  open.type = 'button';
  open.title = 'More actions';
  open.dataset.testid = 'message-menu';
  open.addEventListener('click', () => {
    const existing = wrap.querySelector('.sim-menu');
    if (existing) return existing.remove();
    const menu = make('div', 'sim-menu');
    const item = make('button', undefined, 'Look up IM accounts');
    item.type = 'button';
    item.dataset.testid = 'shortcut-lookup';
    item.addEventListener('click', async () => {
      menu.remove();
      await call('/sim/message-shortcut', { user: me, messageId: message.id, callbackId: 'lookup_im_accounts' });
    });
    menu.append(item);
    wrap.append(menu);
  });
  wrap.append(open);
  return wrap;
}

function drawPanes() {
  const inChannel = pane === 'channel';
  $('sim-messages').hidden = !inChannel;
  $('sim-examples').hidden = !inChannel;
  $('sim-composer').hidden = !inChannel;
  $('sim-home').hidden = pane !== 'home';
  $('sim-workflows').hidden = pane !== 'workflows';
  for (const item of $('sim-apps').children) item.classList.toggle('sim-current', item.dataset.pane === pane);
  if (pane === 'home') {
    $('sim-channel-header').replaceChildren(make('span', undefined, 'im-admin · Home'));
    const home = $('sim-home');
    home.replaceChildren(...(snapshot.home ? snapshot.home.map(build) : [make('div', 'sim-empty', 'Opening the Home tab…')]));
  }
  if (pane === 'workflows') {
    $('sim-channel-header').replaceChildren(make('span', undefined, 'Workflows'), make('small', undefined, 'Runs a step of im-admin as Workflow Builder does, with you as the acting person'));
    drawWorkflows();
  }
}

let shownWorkflows = '';
function drawWorkflows() {
  const key = `${me}/${JSON.stringify(snapshot.steps.runs)}`;
  if (key === shownWorkflows) return;
  shownWorkflows = key;
  const panel = $('sim-workflows');
  panel.replaceChildren(...snapshot.steps.catalog.map((step) => {
    const form = make('form', 'sim-step');
    form.dataset.step = step.callbackId;
    form.append(make('strong', undefined, step.title));
    for (const input of step.inputs) {
      const label = make('label', undefined, `${input.title}${input.required ? '' : ' (optional)'}`);
      const field = make('input');
      field.type = input.type === 'boolean' ? 'checkbox' : 'text';
      field.name = input.name;
      field.dataset.testid = `step-${step.callbackId}-${input.name}`;
      label.append(field);
      form.append(label);
    }
    const run = make('button', 'sim-button sim-button-primary', 'Run step');
    run.type = 'submit';
    run.dataset.testid = `run-${step.callbackId}`;
    const problem = make('div', 'sim-composer-error');
    problem.hidden = true;
    form.append(run, problem);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const inputs = {};
      for (const field of form.querySelectorAll('input')) inputs[field.name] = field.type === 'checkbox' ? field.checked : field.value;
      const answer = await call('/sim/step-run', { user: me, callbackId: step.callbackId, inputs });
      problem.textContent = answer.ok ? '' : answer.message || answer.error;
      problem.hidden = answer.ok;
    });
    const runs = snapshot.steps.runs.filter((r) => r.callbackId === step.callbackId);
    for (const r of runs) {
      const shown = r.status === 'completed' ? `completed: ${JSON.stringify(r.outputs, null, 1)}` : r.status === 'failed' ? `failed: ${r.error}` : 'running…';
      const line = make('div', `sim-run sim-run-${r.status}`, `${r.executionId} ${shown}`);
      line.dataset.testid = 'step-run';
      form.append(line);
    }
    return form;
  }));
}

for (const item of $('sim-apps').children) {
  item.addEventListener('click', () => {
    pane = item.dataset.pane;
    shownWorkflows = '';
    if (pane === 'home') call('/sim/home-open', { user: me });
    draw(snapshot);
  });
}

function drawExamples() {
  $('sim-examples').replaceChildren(...snapshot.examples.map((example) => {
    const chip = make('button', 'sim-example', example);
    chip.type = 'button';
    chip.addEventListener('click', () => {
      $('sim-input').value = example;
      $('sim-input').focus();
    });
    return chip;
  }));
}

function drawModal() {
  const backdrop = $('sim-modal');
  const modal = snapshot.modal;
  if (!modal) {
    backdrop.hidden = true;
    backdrop.replaceChildren();
    shownModal = '';
    return;
  }
  const key = `${me}/${modal.id}/${modal.version}`;
  if (key === shownModal) return;
  shownModal = key;
  const box = make('form', 'sim-modal');
  box.dataset.viewId = modal.id;
  box.dataset.callbackId = modal.callbackId;
  box.noValidate = true;
  const head = make('div', 'sim-modal-head');
  const title = make('span', 'sim-modal-title');
  title.append(...modal.title.map(build));
  const x = make('button', 'sim-modal-x', '×');
  x.type = 'button';
  x.title = 'Close';
  x.addEventListener('click', () => closeModal(modal.id));
  head.append(title, x);
  const body = make('div', 'sim-modal-body');
  if (modal.problem) body.append(make('div', 'sim-modal-problem', modal.problem));
  body.append(...modal.body.map(build));
  const foot = make('div', 'sim-modal-foot');
  const close = make('button', 'sim-button sim-modal-close');
  close.type = 'button';
  close.append(...modal.close.map(build));
  close.addEventListener('click', () => closeModal(modal.id));
  foot.append(close);
  if (modal.submit) {
    const submit = make('button', 'sim-button sim-button-primary sim-modal-submit');
    submit.type = 'submit';
    submit.append(...modal.submit.map(build));
    foot.append(submit);
  }
  box.append(head, body, foot);
  box.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    if (!requiredFilled(box)) return;
    for (const field of box.querySelectorAll('.sim-input [data-kind]')) {
      const { block, action } = field.dataset;
      values[block] = values[block] || {};
      // A picked file goes to the local Slack API first, as Slack's client uploads it; the submission names its id.
      values[block][action] = field.dataset.kind === 'file_input' ? await uploadFiles(field) : fieldValue(field);
    }
    for (const button of box.querySelectorAll('button')) button.disabled = true;
    await call('/sim/view-submit', { user: me, viewId: modal.id, values });
    for (const button of box.querySelectorAll('button')) button.disabled = false;
  });
  backdrop.replaceChildren(box);
  backdrop.hidden = false;
  const first = box.querySelector('input, textarea, select');
  if (first) first.focus();
}

/** Uploads the files picked in a file input; their ids. */
async function uploadFiles(field) {
  const ids = [];
  for (const file of field.files) {
    const answer = await call('/sim/file-upload', { user: me, name: file.name, content: await file.text() });
    if (answer && answer.id) ids.push(answer.id);
  }
  return ids;
}

/** What the page sends for one input: the text, or the value(s) of the option(s) chosen (view-state.ts shapes them). */
function fieldValue(field) {
  switch (field.dataset.kind) {
    case 'checkboxes':
      return [...field.querySelectorAll('input:checked')].map((box) => box.value);
    case 'radio_buttons': {
      const chosen = field.querySelector('input:checked');
      return chosen ? chosen.value : '';
    }
    case 'multi_static_select':
      return [...field.selectedOptions].map((option) => option.value);
    default:
      return field.value;
  }
}

// Slack's client does not send a form with a required input left empty (nothing typed, nothing chosen): it says so
// under the input. The app checks again on its side; this is what a person sees first.
function requiredFilled(box) {
  let filled = true;
  for (const input of box.querySelectorAll('.sim-input')) {
    for (const shown of input.querySelectorAll('.sim-required-error')) shown.remove();
    const field = input.querySelector('[data-kind]');
    if (input.dataset.required !== 'true' || !field) continue;
    const value = fieldValue(field);
    if (Array.isArray(value) ? value.length > 0 : value !== '') continue;
    const error = make('div', 'sim-input-error sim-required-error', 'Please complete this required field.');
    error.dataset.error = input.dataset.block;
    field.after(error);
    filled = false;
  }
  return filled;
}

function closeModal(viewId) {
  call('/sim/view-close', { user: me, viewId });
}

// Buttons anywhere (messages or modal): a real block_actions request. Selects outside modal inputs too.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  event.preventDefault();
  const home = button.closest('[data-home]');
  if (home) {
    // A Home view's block_actions carries what was typed in its inputs (view.state.values).
    const values = {};
    for (const field of home.querySelectorAll('.sim-input [data-kind]')) {
      const { block, action } = field.dataset;
      values[block] = values[block] || {};
      values[block][action] = field.value;
    }
    button.disabled = true;
    await call('/sim/home-action', { user: me, actionId: button.dataset.action, blockId: button.dataset.block, value: button.dataset.value, values });
    button.disabled = false;
    return;
  }
  const message = button.closest('[data-message-id]');
  const view = button.closest('[data-view-id]');
  if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
  button.disabled = true;
  await call('/sim/action', {
    user: me,
    ...(message ? { messageId: message.dataset.messageId } : {}),
    ...(view ? { viewId: view.dataset.viewId } : {}),
    actionId: button.dataset.action,
    blockId: button.dataset.block,
    type: 'button',
    value: button.dataset.value,
    text: button.textContent,
  });
  button.disabled = false;
});

document.addEventListener('change', (event) => {
  const select = event.target.closest('select[data-kind="static_select"]');
  if (!select || select.closest('.sim-input')) return;
  const message = select.closest('[data-message-id]');
  const view = select.closest('[data-view-id]');
  const option = select.selectedOptions[0];
  call('/sim/action', {
    user: me,
    ...(message ? { messageId: message.dataset.messageId } : {}),
    ...(view ? { viewId: view.dataset.viewId } : {}),
    actionId: select.dataset.action,
    blockId: select.dataset.block,
    type: 'static_select',
    selected: { text: option ? option.textContent : '', value: select.value },
  });
});

$('sim-user').addEventListener('change', (event) => {
  me = event.target.value;
  localStorage.setItem('sim.user', me);
  shownModal = '';
  shownWorkflows = '';
  if (pane === 'home') call('/sim/home-open', { user: me });
  connect();
});

// What was typed stays in the box until Slack took it; a refusal is shown under the box, where Slack shows it.
$('sim-composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('sim-input');
  const text = input.value;
  if (text.trim() === '') return;
  showComposerError('');
  const answer = await call('/sim/command', { user: me, channel, text });
  if (answer.ok) {
    if (input.value === text) input.value = '';
    return;
  }
  showComposerError(answer.message || `The simulator refused that (${answer.error || 'unknown error'}).`);
});

$('sim-input').addEventListener('input', () => showComposerError(''));

function showComposerError(text) {
  const line = $('sim-composer-error');
  line.textContent = text;
  line.hidden = text === '';
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && snapshot && snapshot.modal) closeModal(snapshot.modal.id);
});

connect();
