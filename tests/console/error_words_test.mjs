// Every error lobbyd can send reads in the console's own words, in Chinese
// and in English (issue 15), and so does every action of its audit log: each field the server's checks can name has a
// label, each error code a message, and a made-up code or field still
// gives a sentence in the user's language, never the server's English.
// The server's fields and codes are read from its C source, so a new check
// without a console label fails here.
//
//   node error_words_test.mjs SRC_DIR
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

const src = process.argv[2];
if (!src) throw new Error('usage: error_words_test.mjs SRC_DIR');
const serverDir = join(src, 'server');

// The console's strings and I18n, as the browser loads them.
function loadConsole(lang) {
  const store = {'lobby.lang': lang};
  const ctx = vm.createContext({localStorage: {getItem: k => store[k] ?? null, setItem: () => {}},
                                document: {documentElement: {}}, console});
  for (const f of ['i18n.js', 'i18n_errors.js'])
    vm.runInContext(readFileSync(join(serverDir, 'console', f), 'utf8'), ctx, {filename: f});
  return vm.runInContext('({I18n, LobbyStrings})', ctx);
}

// What the server's C source can name: [fields, codes].
function serverVocabulary() {
  const fields = new Set(), codes = new Set();
  const text = readdirSync(serverDir).filter(f => f.endsWith('.c'))
    .map(f => readFileSync(join(serverDir, f), 'utf8')).join('\n');
  for (const m of text.matchAll(/\bjin_(?:string|enum|int|bool|time|phone|code)\(\s*[\w>.-]+,\s*"([a-z0-9_]+)"/g)) fields.add(m[1]);
  for (const m of text.matchAll(/\b(?:http_error_set|http_fail_field)\([^,]+,\s*\d+,\s*"([a-z0-9_]+)",\s*"([a-z0-9_.]+)"/g)) { codes.add(m[1]); fields.add(m[2]); }
  for (const m of text.matchAll(/\bhttp_error_set\([^,]+,\s*\d+,\s*"([a-z0-9_]+)"/g)) codes.add(m[1]);
  for (const m of text.matchAll(/\bhttp_fail\([^,]+,\s*\d+,\s*"([a-z0-9_]+)",\s*(?:[a-z_? ]+)?"([a-z0-9_.]+): /g)) fields.add(m[2]);
  for (const m of text.matchAll(/\bhttp_fail\([^,]+,\s*\d+,\s*"([a-z0-9_]+)"/g)) codes.add(m[1]);
  for (const m of text.matchAll(/\bpassword_refused\([^,]+,\s*"([a-z0-9_]+)"/g)) fields.add(m[1]);
  // A code sent with the field its caller names (picture_upload_checked).
  for (const m of text.matchAll(/\bhttp_fail_field\([^,]+,\s*\d+,\s*"([a-z0-9_]+)"/g)) codes.add(m[1]);
  for (const m of text.matchAll(/\bpicture_upload_checked\([^,]+,\s*"([a-z0-9_]+)"/g)) fields.add(m[1]);
  for (const m of readFileSync(join(serverDir, 'password.c'), 'utf8').matchAll(/return "([a-z0-9_]+)";/g))
    if (m[1] !== 'ok') codes.add(m[1]);
  return [[...fields].sort(), [...codes].sort()];
}

// Every action the audit log can hold: the router's, and those written
// outside it (sign-in, lobbyd's own commands).
function auditActions() {
  const actions = new Set();
  const text = readdirSync(serverDir).filter(f => f.endsWith('.c'))
    .map(f => readFileSync(join(serverDir, f), 'utf8')).join('\n');
  for (const m of text.matchAll(/"([a-z_]+\.[a-z_]+)", (?:EV_|0\})/g)) actions.add(m[1]);
  for (const m of text.matchAll(/\baudit_[a-z_]*\([^;]*?"([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]);
  for (const m of text.matchAll(/\.action = "([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]);
  return [...actions].sort();
}

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const [fields, codes] = serverVocabulary();
check(fields.length > 40 && codes.length > 15, `read too little of the server: ${fields.length} fields, ${codes.length} codes`);
const cjk = /[\u4e00-\u9fff]/;

const actions = auditActions();
check(actions.length > 30, `read too few audit actions: ${actions.length}`);

for (const lang of ['zh', 'en']) {
  const {I18n, LobbyStrings} = loadConsole(lang);
  const table = LobbyStrings[lang];
  for (const a of actions) check(('audit.do.' + a) in table, `${lang}: no words for the audit action ${a}`);
  for (const f of fields) check(('field.' + f) in table, `${lang}: no label for the field ${f}`);
  for (const c of codes) check(('error.' + c) in table, `${lang}: no message for the code ${c}`);
  // Every code and field together: a sentence, no raw server words.
  const server = 'xq: the raw words of the server';
  for (const c of codes) for (const f of [...fields, undefined]) {
    const said = I18n.apiError(400, {code: c, field: f, message: server});
    check(typeof said === 'string' && said.length > 0 && !said.includes('raw words') && !said.includes('{'),
          `${lang}: ${c}/${f} gives ${JSON.stringify(said)}`);
    if (lang === 'zh') check(cjk.test(said), `zh: ${c}/${f} is not Chinese: ${said}`);
    else check(!cjk.test(said), `en: ${c}/${f} is not English: ${said}`);
  }
  for (const [e, want] of [[{code: 'made_up', message: server}, lang === 'zh' ? '500' : '500'],
                           [{code: 'invalid_field', field: 'made_up', message: server}, ''],
                           [{code: 'invalid_field', field: 'title', min_length: 1, max_length: 60, message: server}, '60'],
                           [{code: 'invalid_field', field: 'party_size', minimum: 1, maximum: 20, message: server}, '20'],
                           [{code: 'invalid_field', field: 'end', message: '结束日期最晚为 2027-03-03 / end: the latest allowed is 2027-03-03'}, '2027-03-03']]) {
    const said = I18n.apiError(e.code === 'made_up' ? 500 : 400, e);
    check(!said.includes('raw words') && said.includes(want), `${lang}: ${JSON.stringify(e)} gives ${said}`);
    check(lang === 'zh' ? cjk.test(said) : !cjk.test(said), `${lang}: ${JSON.stringify(e)} is in the other language: ${said}`);
  }
}

if (failures.length) {
  for (const f of failures.slice(0, 60)) console.log('FAIL ' + f);
  console.log(`${failures.length} failures (${fields.length} fields, ${codes.length} codes)`);
  process.exit(1);
}
console.log(`ok: ${fields.length} fields, ${codes.length} codes and ${actions.length} audit actions read in zh and en`);
