// The console's entry: the top bar, the sign-in page, and every view module (each registers its own routes).
import { api, busy, errorText, field, h, homeFor, lang, navigate, roleName, route, session, setLang, setLayout, start, t } from './core.js';
import './views/intake.js';
import './views/cases.js';
import './views/dispatch.js';
import './views/tasks.js';
import './views/case.js';
import './views/inspector.js';
import './views/citizen.js';
import './views/publicmap.js';
import './views/screen.js';
import './views/admin.js';
import './views/evaluation.js';
import './views/analytics.js';
import './views/alarms.js';
import './views/detections.js';
import './views/fleet.js';
import './views/vehicle.js';
import './views/notices.js';

/** The links in the top bar, by role; signed-out visitors get the public pages. */
const navigation = {
  operator: [['#/intake', 'nav.intake'], ['#/cases', 'nav.cases'], ['#/detections', 'nav.detections'], ['#/alarms', 'nav.alarms'], ['#/analytics', 'nav.analytics']],
  shiftlead: [['#/intake', 'nav.intake'], ['#/dispatch', 'nav.dispatch'], ['#/deadlines', 'nav.deadlines'], ['#/cases', 'nav.cases'],
    ['#/detections', 'nav.detections'], ['#/alarms', 'nav.alarms'], ['#/fleet', 'nav.fleet'], ['#/notices', 'nav.notices'], ['#/evaluation', 'nav.evaluation'],
    ['#/analytics', 'nav.analytics']],
  dispatcher: [['#/dispatch', 'nav.dispatch'], ['#/deadlines', 'nav.deadlines'], ['#/cases', 'nav.cases'], ['#/alarms', 'nav.alarms'], ['#/fleet', 'nav.fleet'],
    ['#/notices', 'nav.notices'], ['#/analytics', 'nav.analytics']],
  handler: [['#/tasks', 'nav.tasks'], ['#/notices', 'nav.notices']],
  inspector: [['#/inspector', 'nav.inspectorTasks'], ['#/inspector/report', 'nav.inspectorReport'], ['#/detections', 'nav.detections']],
  leader: [['#/screen', 'nav.screen'], ['#/alarms', 'nav.alarms'], ['#/fleet', 'nav.fleet'], ['#/notices', 'nav.notices'], ['#/detections', 'nav.detections'],
    ['#/evaluation', 'nav.evaluation'], ['#/analytics', 'nav.analytics'], ['#/deadlines', 'nav.deadlines'], ['#/cases', 'nav.cases']],
  admin: [['#/admin', 'nav.admin'], ['#/screen', 'nav.screen'], ['#/alarms', 'nav.alarms'], ['#/fleet', 'nav.fleet'], ['#/notices', 'nav.notices'],
    ['#/detections', 'nav.detections'], ['#/evaluation', 'nav.evaluation'], ['#/analytics', 'nav.analytics'], ['#/cases', 'nav.cases']],
  citizen: [['#/report', 'nav.report'], ['#/track', 'nav.track'], ['#/map', 'nav.publicMap']],
  partner: [['#/report', 'nav.report'], ['#/track', 'nav.track'], ['#/map', 'nav.publicMap']],
  public: [['#/report', 'nav.report'], ['#/track', 'nav.track'], ['#/map', 'nav.publicMap']],
};

setLayout(() => {
  const top = document.getElementById('top');
  const user = session.valid ? session.user : null;
  const links = navigation[user ? user.role : 'public'] || navigation.public;
  const here = location.hash.split('?')[0];
  const current = (href) => here === href || here.startsWith(`${href}/`);
  const langButton = h('button', {
    type: 'button', class: 'link lang-switch', lang: lang() === 'zh' ? 'en' : 'zh',
    'aria-label': t('nav.switchLanguage'), onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh'),
  }, t('nav.otherLanguage'));
  top.replaceChildren(
    h('a', { class: 'brand', href: user ? homeFor(user.role) : '#/report' }, t('app.name')),
    h('nav', { 'aria-label': t('nav.main') },
      h('ul', {}, links.map(([href, key]) => h('li', {}, h('a', { href, 'aria-current': current(href) && !links.some(([other]) => other !== href && other.startsWith(href) && current(other)) ? 'page' : null }, t(key)))))),
    h('div', { class: 'account' },
      langButton,
      user
        ? [h('span', { class: 'who', id: 'who' }, `${user.displayName || user.username} · ${roleName(user.role)}`),
          h('button', { type: 'button', class: 'link', id: 'signout', onclick: signOut }, t('nav.signOut'))]
        : h('a', { href: '#/login', id: 'signin' }, t('nav.signIn'))),
  );
});

async function signOut() {
  try { await api('/api/v1/auth/logout', { method: 'POST' }); } catch { /* the session ends either way */ }
  session.clear();
  navigate('#/login');
}

route('/login', (main, { query }) => {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert', id: 'login-error' }, query.expired ? t('login.expired') : '');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', {
    class: 'card narrow', id: 'login-form',
    onsubmit: async (e) => {
      e.preventDefault();
      message.textContent = '';
      await busy(submit, async () => {
        try {
          const reply = await api('/api/v1/auth/login', { method: 'POST', body: { username: username.value.trim(), password: password.value }, auth: false });
          session.save(reply);
          navigate(query.next && !query.next.startsWith('#/login') ? query.next : homeFor(reply.user.role));
        } catch (err) {
          message.textContent = err.status === 401 ? t('login.wrong') : errorText(err);
          password.select();
        }
      });
    },
  },
  h('h1', {}, t('login.title')),
  field('login.username', username),
  field('login.password', password),
  message,
  submit,
  h('p', { class: 'muted' }, h('a', { href: '#/report' }, t('nav.report')), ' · ', h('a', { href: '#/track' }, t('nav.track')), ' · ', h('a', { href: '#/map' }, t('nav.publicMap'))));
  main.append(form);
  username.focus();
}, { public: true, title: 'login.title' });

// The service worker keeps the console openable offline (see sw.js); browsers without it just go online.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});

start();
