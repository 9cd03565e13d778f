// Following a report, public: a tracking code gives the case's progress in plain words. Rating a closed
// case needs the account that reported it (the server lets a citizen rate only their own reports, by case ID or
// number); the page says so to visitors who are not signed in.
import { api, catalog, entryName, errorText, field, fmtTime, h, lang, navigate, route, session, stateBadge, t, toast, userText } from '../core.js';

const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const MINE = 'cityloop.myReports';

/** Reports made from this device (`{code, number, matter, at}`), newest first: visitors keep their codes here. */
export function myReports() { try { return JSON.parse(localStorage.getItem(MINE) || '[]'); } catch { return []; } }

/** Remembers a report's tracking code on this device. */
export function rememberReport(entry) {
  const list = myReports().filter((r) => r.code !== entry.code);
  list.unshift({ ...entry, at: new Date().toISOString() });
  localStorage.setItem(MINE, JSON.stringify(list.slice(0, 20)));
}

/**
 * The rating form for a closed case: the signed-in reporter's (the case's `rate` action), or, with `url`, anyone's
 * holding the tracking code (`POST /api/v1/track/{code}/rate`, no sign-in). `done()` runs after a successful rating.
 */
function rateForm(caseRef, done, url) {
  const comment = h('textarea', { id: `rate-comment-${caseRef}`, 'data-testid': 'rate-comment', rows: 2, maxlength: 1000 });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'rate-error' });
  const submit = h('button', { type: 'submit', class: 'primary fd-submit', 'data-testid': 'rate-submit' }, t('citizen.rate.submit'));
  const choices = SATISFACTION.map((s) => {
    const input = h('input', { type: 'radio', name: `satisfaction-${caseRef}`, value: s, id: `rate-${s}-${caseRef}`, 'data-testid': `rate-${s}` });
    return h('div', { class: 'fd-radio' }, input, h('label', { for: input.id }, t(`citizen.rate.${s}`)));
  });
  return h('form', {
    class: 'fd-rate', 'data-testid': 'rate-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const picked = e.currentTarget.querySelector('input[type=radio]:checked');
      if (!picked) { error.textContent = t('citizen.rate.pick'); return; }
      submit.disabled = true;
      try {
        const body = { satisfaction: picked.value };
        if (comment.value.trim()) body.comment = comment.value.trim();
        await api(url || `/api/v1/cases/${encodeURIComponent(caseRef)}/actions/rate`, { method: 'POST', body });
        toast(t('citizen.rate.thanks'), 'ok');
        done();
      } catch (err) {
        error.textContent = errorText(err);
      } finally { submit.disabled = false; }
    },
  },
  h('fieldset', {}, h('legend', {}, t('citizen.rate.legend')), choices),
  field('citizen.rate.comment', comment),
  error, submit);
}

/** The rating part of a tracked case: the rating given, the form, or why the visitor cannot rate here. */
async function ratingPart(tl, code) {
  if (tl.satisfaction) {
    return h('p', { class: 'fd-rated', 'data-testid': 'track-rated' }, t('citizen.track.rated', { value: t(`citizen.rate.${tl.satisfaction}`) }));
  }
  if (tl.state !== 'closed') return h('p', { class: 'muted fd-small', 'data-testid': 'track-rate-later' }, t('citizen.track.rateLater'));
  const again = () => navigate(`#/track?code=${encodeURIComponent(code)}`);
  // Holding the code is enough to rate (a hotline caller has no account); a signed-in reporter rates as themselves.
  const byCode = () => h('section', { class: 'fd-rate-box', 'data-testid': 'track-rate-by-code' }, h('h3', {}, t('citizen.rate.title')),
    rateForm(tl.caseNumber, again, `/api/v1/track/${encodeURIComponent(code)}/rate`));
  if (!session.valid) return byCode();
  try {
    const detail = await api(`/api/v1/cases/${encodeURIComponent(tl.caseNumber)}`);
    if (detail.availableActions.includes('rate')) {
      return h('section', { class: 'fd-rate-box' }, h('h3', {}, t('citizen.rate.title')), rateForm(tl.caseNumber, again));
    }
    return h('p', { class: 'muted', 'data-testid': 'track-cannot-rate' }, t('citizen.track.cannotRate'));
  } catch (e) {
    if (e.status === 403 || e.status === 404) return byCode();
    return h('p', { class: 'error' }, errorText(e));
  }
}

/** Draws the progress of the report with this tracking code into `box`. */
async function showProgress(box, code) {
  box.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  let tl;
  try {
    tl = await api(`/api/v1/track/${encodeURIComponent(code)}`, { auth: false });
  } catch (e) {
    box.replaceChildren(h('p', { class: 'error', role: 'alert', 'data-testid': 'track-error' },
      e.status === 404 ? t('citizen.track.notFound') : navigator.onLine ? errorText(e) : t('citizen.track.offline')));
    return;
  }
  const en = lang() === 'en';
  const matter = (en ? tl.matterNameEn : null) || tl.matterName || tl.matterCode;
  const steps = [...tl.steps].reverse();
  box.replaceChildren(h('article', { class: 'card fd-progress', 'data-testid': 'track-progress', dataset: { state: tl.state, number: tl.caseNumber } },
    h('div', { class: 'fd-queue-head' }, h('h2', {}, matter), stateBadge(tl.state)),
    h('dl', { class: 'fd-dl' },
      h('dt', {}, t('citizen.track.number')), h('dd', { 'data-testid': 'track-number' }, tl.caseNumber),
      h('dt', {}, t('citizen.track.reportedAt')), h('dd', {}, fmtTime(tl.reportedAt)),
      tl.closedAt ? [h('dt', {}, t('citizen.track.closedAt')), h('dd', {}, fmtTime(tl.closedAt))] : null),
    h('p', { class: 'fd-now', 'data-testid': 'track-now' }, t(`citizen.track.now.${tl.state}`)),
    await ratingPart(tl, code),
    h('h3', {}, t('citizen.track.steps')),
    h('ol', { class: 'fd-timeline', 'data-testid': 'track-steps' }, steps.map((s, i) => h('li', { class: i === 0 ? 'latest' : '', 'data-testid': 'track-step', dataset: { action: s.action } },
      h('time', { datetime: s.at }, fmtTime(s.at)), h('span', {}, en ? s.textEn : s.textZh))))));
}

/** The signed-in citizen's own reports, with a rating form for closed ones not rated yet. */
async function myCases(box) {
  const cat = await catalog();
  try {
    const reply = await api('/api/v1/cases?limit=20');
    box.replaceChildren(h('h2', {}, t('citizen.track.myCases', { n: reply.total })),
      h('ul', { class: 'fd-queue' }, reply.items.map((c) => {
        const item = h('li', { class: 'fd-queue-item', 'data-testid': 'my-case', dataset: { id: c.id, number: c.number } },
          h('div', { class: 'fd-queue-head' }, h('strong', {}, entryName(cat.matter(c.matterCode)) || c.matterCode), stateBadge(c.state)),
          h('p', { class: 'muted fd-small' }, `${c.number} · ${fmtTime(c.createdAt)}`),
          h('p', {}, userText(c.description)));
        if (c.state === 'closed' && !c.satisfaction) {
          const open = h('button', {
            type: 'button', class: 'fd-button', 'data-testid': 'my-case-rate',
            onclick: () => open.replaceWith(rateForm(c.id, () => myCases(box))),
          }, t('citizen.rate.title'));
          item.append(open);
        } else if (c.satisfaction) {
          item.append(h('p', { class: 'fd-rated' }, t('citizen.track.rated', { value: t(`citizen.rate.${c.satisfaction}`) })));
        }
        return item;
      })));
  } catch (e) { box.replaceChildren(h('p', { class: 'error' }, errorText(e))); }
}

route('/track', async (main, { query }) => {
  const code = h('input', {
    id: 'track-code', 'data-testid': 'track-code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', value: query.code || '', required: true,
  });
  const result = h('div', { id: 'track-result', 'data-testid': 'track-result', 'aria-live': 'polite' });
  const form = h('form', {
    class: 'card fd-form', id: 'track-form', 'data-testid': 'track-form',
    onsubmit: (e) => {
      e.preventDefault();
      const value = code.value.trim();
      if (!value) { code.focus(); return; }
      const target = `#/track?code=${encodeURIComponent(value)}`;
      if (location.hash === target) showProgress(result, value); else navigate(target);
    },
  },
  field('citizen.track.code', code, t('citizen.track.codeHint')),
  h('button', { type: 'submit', class: 'primary fd-submit', id: 'track-submit', 'data-testid': 'track-submit' }, t('citizen.track.submit')));

  const device = myReports();
  const mine = h('section', { class: 'card', 'data-testid': 'my-cases' });
  main.append(h('div', { class: 'fd-page fd-narrow' },
    h('h1', {}, t('citizen.track.title')),
    form,
    result,
    device.length ? h('section', { class: 'card', 'data-testid': 'my-reports' },
      h('h2', {}, t('citizen.track.onDevice')),
      h('ul', { class: 'fd-queue' }, device.map((r) => h('li', { class: 'fd-queue-item', 'data-testid': 'my-report' },
        h('a', { href: `#/track?code=${encodeURIComponent(r.code)}` }, r.number || r.code),
        h('span', { class: 'muted fd-small' }, ` ${r.matter || ''} · ${fmtTime(r.at)}`))))) : null,
    session.valid && session.user.role === 'citizen' ? mine : null,
    h('section', { class: 'card fd-small muted' }, h('h2', {}, t('citizen.track.aboutTitle')), h('p', {}, t('citizen.track.about')))));
  if (query.code) await showProgress(result, query.code.trim());
  else code.focus();
  if (session.valid && session.user.role === 'citizen') myCases(mine);
}, { public: true, title: 'citizen.track.title' });
