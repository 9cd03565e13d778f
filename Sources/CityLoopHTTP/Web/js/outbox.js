// The offline queue of reports: a report is written to IndexedDB, photos as Blobs, with its
// clientRequestID BEFORE any network call; sending uploads each photo (POST /api/v1/media) and then posts the case
// (POST /api/v1/cases) with the same clientRequestID, so a retry after a lost answer never makes a second case (the
// server is idempotent on clientRequestID per account). One item is sent at a time, by one tab at a time (a Web
// Lock, or a lease in localStorage where Web Locks are missing); an item leaves the queue only once the server
// answered 200/201. Network errors, 5xx, 401, 408 and 429 are retried with backoff; other 4xx answers mark the
// item failed with the server's message, for the user to fix or discard.
import { api, ApiError, errorText, requestID, session } from './core.js';

const DB_NAME = 'cityloop-outbox';
const STORE = 'reports';
const LOCK = 'cityloop-outbox-send';
const SENT_KEY = 'cityloop.outbox.sent';
const BASE_DELAY = 5000;
const MAX_DELAY = 5 * 60000;
const LEASE_MS = 60000;

const listeners = new Set();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('cityloop-outbox') : null;
let dbPromise = null;
let timer = null;
let flushing = null;

function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore(STORE, { keyPath: 'clientRequestID' });
        store.createIndex('createdAt', 'createdAt');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

/** Runs `fn(store)` in a transaction and resolves with its request's result once the transaction committed. */
async function tx(mode, fn) {
  const db = await openDB();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(req ? req.result : undefined);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('aborted'));
  });
}

const getItem = (id) => tx('readonly', (s) => s.get(id));
const putItem = (item) => tx('readwrite', (s) => s.put(item));
const deleteItem = (id) => tx('readwrite', (s) => s.delete(id));
const allItems = () => tx('readonly', (s) => s.getAll());

function userID() { return session.valid ? session.user.id : null; }

/** Tells this tab's listeners and the other tabs that the queue changed. */
function changed(event = { type: 'change' }) {
  for (const fn of listeners) { try { fn(event); } catch (e) { console.error(e); } }
  if (channel && !event.remote) channel.postMessage({ ...event, item: undefined, remote: true });
}
if (channel) channel.onmessage = (e) => changed({ ...e.data, remote: true });

/** Subscribes to changes of the queue (`{type: change|sent|failed|queued, clientRequestID, result}`); returns the unsubscribe. */
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/**
 * Queues a report: `report` is the body of POST /api/v1/cases without evidence (matterCode, description, lat, lon,
 * address?, selfHandled?, …), `photos` Blobs. Stored before anything is sent; then a send is started when online.
 * With `clientRequestID` of an item already queued (a fixed failed item), that item is replaced. Answers the item.
 */
export async function enqueue(report, photos = [], { clientRequestID } = {}) {
  const uid = userID();
  if (!uid) throw new Error('not signed in');
  const id = clientRequestID || report.clientRequestID || requestID();
  const previous = await getItem(id);
  const blobs = await Promise.all(photos.map(async (p) => (p instanceof Blob && !(p instanceof File) ? p : new Blob([await p.arrayBuffer()], { type: p.type || 'image/jpeg' }))));
  const item = {
    clientRequestID: id,
    userID: uid,
    report: { ...report, clientRequestID: id },
    photos: blobs,
    mediaIDs: [],
    status: 'pending',
    error: null,
    attempts: 0,
    nextAttemptAt: 0,
    leaseUntil: 0,
    createdAt: previous ? previous.createdAt : new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  await putItem(item);
  // Ask the browser not to evict the queue under storage pressure (granted silently to installed or often-used sites).
  navigator.storage?.persist?.().catch(() => {});
  changed({ type: 'queued', clientRequestID: id });
  schedule(0);
  return summary(item);
}

/** A queue item without its Blobs, for display. */
function summary(item) {
  return {
    clientRequestID: item.clientRequestID, report: item.report, photoCount: item.photos.length, status: item.status, error: item.error,
    attempts: item.attempts, nextAttemptAt: item.nextAttemptAt, createdAt: item.createdAt, updatedAt: item.updatedAt,
  };
}

/** The signed-in account's queued reports (waiting, sending and failed), oldest first, without photos. */
export async function pending() {
  const uid = userID();
  if (!uid) return [];
  return (await allItems()).filter((i) => i.userID === uid).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(summary);
}

/** One queued item with its photos (to fix a failed report), or undefined. */
export async function get(clientRequestID) {
  const item = await getItem(clientRequestID);
  return item && item.userID === userID() ? item : undefined;
}

/** Removes an item from the queue (the user discards a failed report). */
export async function discard(clientRequestID) {
  const item = await getItem(clientRequestID);
  if (item && item.userID === userID()) await deleteItem(clientRequestID);
  changed({ type: 'change', clientRequestID });
}

/** Marks a failed or waiting item due now and sends. */
export async function retry(clientRequestID) {
  const item = await getItem(clientRequestID);
  if (!item || item.userID !== userID()) return;
  Object.assign(item, { status: 'pending', error: null, nextAttemptAt: 0 });
  await putItem(item);
  changed({ type: 'change', clientRequestID });
  await flush();
}

/** Reports sent lately from this device (`{clientRequestID, number, trackingCode, description, at}`), newest first. */
export function recentlySent() {
  try { return JSON.parse(localStorage.getItem(SENT_KEY) || '[]').filter((s) => s.userID === userID()); } catch { return []; }
}

function rememberSent(item, result) {
  const list = (() => { try { return JSON.parse(localStorage.getItem(SENT_KEY) || '[]'); } catch { return []; } })();
  list.unshift({
    clientRequestID: item.clientRequestID, userID: item.userID, caseID: result.case?.id, number: result.case?.number,
    trackingCode: result.trackingCode, matterCode: item.report.matterCode, description: item.report.description, at: new Date().toISOString(),
  });
  localStorage.setItem(SENT_KEY, JSON.stringify(list.slice(0, 30)));
}

/** Whether an error is worth retrying later (network, server trouble, rate limits, an expired session). */
function transient(err) {
  if (!(err instanceof ApiError)) return true;
  return err.status >= 500 || [401, 408, 425, 429].includes(err.status);
}

/** Sends one item: photos not uploaded yet, then the case. Answers the server's reply. */
async function sendItem(item) {
  for (let i = item.mediaIDs.length; i < item.photos.length; i += 1) {
    const blob = item.photos[i];
    const media = await api('/api/v1/media', { method: 'POST', body: blob, headers: { 'Content-Type': blob.type || 'image/jpeg' } });
    item.mediaIDs.push(media.id);
    await putItem(item);
  }
  return api('/api/v1/cases', { method: 'POST', body: { ...item.report, evidence: item.mediaIDs } });
}

/** Sends every due item of the signed-in account, oldest first, one at a time. Holds the cross-tab lock meanwhile. */
async function drain() {
  const uid = userID();
  if (!uid || !navigator.onLine) return;
  const items = (await allItems()).filter((i) => i.userID === uid && i.status !== 'failed').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const stale of items) {
    const item = await getItem(stale.clientRequestID);
    if (!item || item.status === 'failed' || (item.nextAttemptAt || 0) > Date.now() || (item.leaseUntil || 0) > Date.now()) continue;
    if (!navigator.onLine || userID() !== uid) return;
    Object.assign(item, { status: 'sending', leaseUntil: Date.now() + LEASE_MS, attempts: item.attempts + 1 });
    await putItem(item);
    changed({ type: 'change', clientRequestID: item.clientRequestID });
    try {
      const result = await sendItem(item);
      await deleteItem(item.clientRequestID);
      rememberSent(item, result);
      changed({ type: 'sent', clientRequestID: item.clientRequestID, result });
    } catch (err) {
      const current = (await getItem(item.clientRequestID)) || item;
      current.mediaIDs = item.mediaIDs;
      current.leaseUntil = 0;
      if (transient(err)) {
        current.status = 'pending';
        current.error = errorText(err);
        current.nextAttemptAt = Date.now() + Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(current.attempts - 1, 8));
        await putItem(current);
        changed({ type: 'change', clientRequestID: item.clientRequestID });
        if (!(err instanceof ApiError) || err.status === 401) return; // offline or signed out: stop, later items would fail too
      } else {
        current.status = 'failed';
        current.error = errorText(err);
        await putItem(current);
        changed({ type: 'failed', clientRequestID: item.clientRequestID, error: current.error });
      }
    }
  }
}

/** Runs `fn` holding the send lock across tabs; skips when another tab holds it. */
async function withLock(fn) {
  if (navigator.locks?.request) {
    return navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => (lock ? fn() : undefined));
  }
  const key = `${LOCK}.lease`;
  const me = Math.random().toString(36).slice(2);
  const held = JSON.parse(localStorage.getItem(key) || 'null');
  if (held && held.until > Date.now()) return undefined;
  localStorage.setItem(key, JSON.stringify({ owner: me, until: Date.now() + LEASE_MS * 5 }));
  await new Promise((r) => setTimeout(r, 50));
  if (JSON.parse(localStorage.getItem(key) || 'null')?.owner !== me) return undefined;
  try { return await fn(); } finally { localStorage.removeItem(key); }
}

/**
 * Sends what is due (when online and signed in); with `now`, waiting items are due at once, backoff or not. Resolves
 * when this round is over; concurrent calls in a tab share one round.
 */
export function flush({ now = false } = {}) {
  if (now) return dueNow().then(() => flush());
  if (!flushing) {
    flushing = withLock(drain)
      .catch((e) => console.error('outbox', e))
      .finally(() => { flushing = null; schedule(); });
  }
  return flushing;
}

/** Plans the next send: in `delay` ms, or when the earliest waiting item is due. */
async function schedule(delay) {
  clearTimeout(timer);
  timer = null;
  if (delay !== undefined) { timer = setTimeout(flush, delay); return; }
  const uid = userID();
  if (!uid) return;
  const waiting = (await allItems()).filter((i) => i.userID === uid && i.status !== 'failed');
  if (!waiting.length) return;
  const next = Math.min(...waiting.map((i) => Math.max(i.nextAttemptAt || 0, i.leaseUntil || 0)));
  timer = setTimeout(flush, Math.max(1000, Math.min(MAX_DELAY, next - Date.now())));
}

/** Whether the browser believes it is online. */
export function online() { return navigator.onLine; }

/** Makes every waiting item of the account due at once. */
async function dueNow() {
  const uid = userID();
  if (!uid) return;
  for (const item of await allItems()) {
    if (item.userID === uid && item.status === 'pending' && item.nextAttemptAt > Date.now()) { item.nextAttemptAt = 0; await putItem(item); }
  }
}

/** Back online: every waiting item is due at once (the backoff was for the lost connection). */
async function wakeUp() {
  await dueNow();
  changed({ type: 'online' });
  flush();
}

window.addEventListener('online', wakeUp);
window.addEventListener('offline', () => changed({ type: 'offline' }));
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') flush(); });
// After signing in again (a 401 stops sending until then), the next page plans the waiting items.
window.addEventListener('hashchange', () => { if (!timer && !flushing) schedule(); });
if (typeof indexedDB !== 'undefined') setTimeout(flush, 1500);
