// What the console's browser tests share: checks, sign-in, screenshots,
// named steps and the end of a run.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.LOBBY_CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = {width: 1440, height: 900};
export const PHONE = {width: 390, height: 844};

// --name value pairs from the command line.
export function parseArgs(argv) {
  return Object.fromEntries(argv.reduce((pairs, a, i, all) =>
    a.startsWith('--') ? pairs.concat([[a.slice(2), all[i + 1]]]) : pairs, []));
}

export function assert(cond, message) {
  if (!cond) throw new Error('assertion failed: ' + message);
}

// Debian's chromium, headless; exits 77 (skipped) where there is none.
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    console.log('SKIP: no chromium at ' + CHROMIUM);
    process.exit(77);
  }
  return chromium.launch({executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run']});
}

// shot(page, name) writes DIR/name.png and returns its path.
export function shooter(dir) {
  mkdirSync(dir, {recursive: true});
  return async (page, name) => {
    await page.waitForTimeout(200);
    const path = join(dir, name + '.png');
    await page.screenshot({path, fullPage: false});
    return path;
  };
}

export async function signIn(page, server, name, password) {
  await page.goto(server.url + '/console/');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.topbar');
}

// Nothing wider than the window: no horizontal scrolling of the page.
export async function noOverflow(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 0, 'the page overflows by ' + over + ' px');
}

export const results = [];
export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, 'ok']);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, 'FAIL']);
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

// Stops lobbyd (a sanitizer report in its log fails the run), prints the
// screenshots and the tally, and exits.
export async function finish(server, shotPaths, shotsDir) {
  const stopped = await server.stop();
  if (!stopped.clean) {
    console.log('FAIL lobbyd exited uncleanly or its log shows a sanitizer report\n' + stopped.log);
    results.push(['lobbyd clean exit', 'FAIL']);
  }
  const failed = results.filter(r => r[1] !== 'ok');
  console.log('screenshots:\n  ' + shotPaths.join('\n  '));
  console.log(`${results.length - failed.length}/${results.length} passed; screenshots in ${shotsDir}`);
  process.exit(failed.length ? 1 : 0);
}
