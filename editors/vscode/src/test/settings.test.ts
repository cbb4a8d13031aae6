// Unit tests of the settings object sent to the server (no VS Code needed):
// `npm test`.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildSettings, resolveServerPath, sectionOf } from '../settings';

/** A reader over VS Code-style dotted keys below `roster.`. */
function reader(values: Record<string, unknown>) {
    return (key: string) => values[key];
}

/** What VS Code answers with nothing set: the package.json defaults. */
const DEFAULTS = {
    profiles: ['people'],
    documents: null,
    undated: 'history',
    'style.tone_marks': 'modern',
    'style.abbreviations': 'as-profile',
    severity: {},
    inlayHints: false,
    debounceMs: 30,
};

test('defaults are shaped like roster.toml, null and empty left out', () => {
    assert.deepEqual(buildSettings(reader(DEFAULTS)), {
        profiles: ['people'],
        undated: 'history',
        style: { tone_marks: 'modern', abbreviations: 'as-profile' },
        inlayHints: false,
        debounceMs: 30,
    });
});

test('every key is passed through', () => {
    const settings = buildSettings(
        reader({
            ...DEFAULTS,
            profiles: ['nhan-su'],
            documents: ['articles', 'notes'],
            undated: 'today',
            'style.tone_marks': 'traditional',
            'style.abbreviations': 'any',
            severity: { 'unknown-person': 'off', 'title-variant': 'hint' },
            inlayHints: true,
        }),
    );
    assert.deepEqual(settings, {
        profiles: ['nhan-su'],
        documents: ['articles', 'notes'],
        undated: 'today',
        style: { tone_marks: 'traditional', abbreviations: 'any' },
        severity: { 'unknown-person': 'off', 'title-variant': 'hint' },
        inlayHints: true,
        debounceMs: 30,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(settings)), settings);
});

test('unset keys are omitted', () => {
    assert.deepEqual(buildSettings(reader({})), {});
    assert.deepEqual(buildSettings(reader({ 'style.abbreviations': 'any' })), { style: { abbreviations: 'any' } });
});

test('values the server would reject are dropped with a warning', () => {
    const warnings: string[] = [];
    const settings = buildSettings(
        reader({
            profiles: 'people',
            undated: 'never',
            'style.tone_marks': 'old',
            severity: { 'unknown-person': 'off', 'no-such-code': 'off', 'title-mismatch': 'warn' },
            inlayHints: 'yes',
        }),
        (m) => warnings.push(m),
    );
    assert.deepEqual(settings, { severity: { 'unknown-person': 'off' } });
    assert.equal(warnings.length, 5, warnings.join('\n'));
});

test('sections of the settings for workspace/configuration', () => {
    const s = buildSettings(reader({ ...DEFAULTS, severity: { 'unknown-person': 'off' } }));
    assert.equal(sectionOf(s, 'roster'), s);
    assert.deepEqual(sectionOf(s, 'roster.style'), { tone_marks: 'modern', abbreviations: 'as-profile' });
    assert.equal(sectionOf(s, 'roster.severity.unknown-person'), 'off');
    assert.equal(sectionOf(s, 'roster.documents'), null);
});

test('server path', () => {
    const p = path.posix;
    assert.equal(resolveServerPath(undefined, '/ws', '/home/u', p), 'roster');
    assert.equal(resolveServerPath('  ', '/ws', '/home/u', p), 'roster');
    assert.equal(resolveServerPath('roster', '/ws', '/home/u', p), 'roster');
    assert.equal(resolveServerPath('/opt/roster', '/ws', '/home/u', p), '/opt/roster');
    assert.equal(resolveServerPath('~/.cargo/bin/roster', '/ws', '/home/u', p), '/home/u/.cargo/bin/roster');
    assert.equal(resolveServerPath('./target/release/roster', '/ws', '/home/u', p), '/ws/target/release/roster');
    assert.equal(resolveServerPath('${workspaceFolder}/bin/roster', '/ws', '/home/u', p), '/ws/bin/roster');
});
