// Builds the settings object handed to `roster lsp`, shaped like the keys of
// roster.toml (SPEC §5) plus the editor-only keys of the server:
//
//   { profiles, documents, undated, style: { tone_marks, abbreviations },
//     severity: { <code>: <level> }, inlayHints, debounceMs }
//
// Unset and null values are left out. Values the server would reject are left
// out too (and reported through `warn`): the server drops the editor settings
// as a whole when one of them is invalid, e.g. an unknown diagnostic code.
//
// No `vscode` import here, so that it can be unit-tested under plain node.

/** Reads one key below the `roster.` section, e.g. `style.tone_marks`. */
export type SettingReader = (key: string) => unknown;

export const SEVERITY_CODES = [
    'title-mismatch',
    'title-outdated',
    'title-inconsistent',
    'title-variant',
    'name-misspelled',
    'unknown-person',
    'ambiguous-person',
    'profile-invalid',
] as const;

export const SEVERITY_LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export interface RosterSettings {
    profiles?: string[];
    documents?: string[];
    undated?: 'history' | 'today';
    style?: {
        tone_marks?: 'modern' | 'traditional';
        abbreviations?: 'as-profile' | 'any';
    };
    severity?: Record<string, string>;
    inlayHints?: boolean;
    debounceMs?: number;
}

function stringList(value: unknown, key: string, warn: (m: string) => void): string[] | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        warn(`roster.${key} must be a list of folder names; ignored`);
        return undefined;
    }
    return [...value];
}

function oneOf<T extends string>(
    value: unknown,
    allowed: readonly T[],
    key: string,
    warn: (m: string) => void,
): T | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
        return value as T;
    }
    warn(`roster.${key} must be one of ${allowed.join(', ')}; ignored`);
    return undefined;
}

export function buildSettings(read: SettingReader, warn: (message: string) => void = () => {}): RosterSettings {
    const out: RosterSettings = {};

    const profiles = stringList(read('profiles'), 'profiles', warn);
    if (profiles !== undefined) {
        out.profiles = profiles;
    }
    const documents = stringList(read('documents'), 'documents', warn);
    if (documents !== undefined) {
        out.documents = documents;
    }
    const undated = oneOf(read('undated'), ['history', 'today'] as const, 'undated', warn);
    if (undated !== undefined) {
        out.undated = undated;
    }

    const style: NonNullable<RosterSettings['style']> = {};
    const tone = oneOf(read('style.tone_marks'), ['modern', 'traditional'] as const, 'style.tone_marks', warn);
    if (tone !== undefined) {
        style.tone_marks = tone;
    }
    const abbreviations = oneOf(
        read('style.abbreviations'),
        ['as-profile', 'any'] as const,
        'style.abbreviations',
        warn,
    );
    if (abbreviations !== undefined) {
        style.abbreviations = abbreviations;
    }
    if (Object.keys(style).length > 0) {
        out.style = style;
    }

    const severity = read('severity');
    if (severity !== undefined && severity !== null) {
        if (typeof severity !== 'object' || Array.isArray(severity)) {
            warn('roster.severity must be an object mapping diagnostic codes to levels; ignored');
        } else {
            const levels: Record<string, string> = {};
            for (const [code, level] of Object.entries(severity as Record<string, unknown>)) {
                if (level === undefined || level === null) {
                    continue;
                }
                if (!(SEVERITY_CODES as readonly string[]).includes(code)) {
                    warn(`roster.severity: unknown diagnostic code "${code}"; ignored`);
                    continue;
                }
                if (typeof level !== 'string' || !(SEVERITY_LEVELS as readonly string[]).includes(level)) {
                    warn(`roster.severity.${code} must be one of ${SEVERITY_LEVELS.join(', ')}; ignored`);
                    continue;
                }
                levels[code] = level;
            }
            if (Object.keys(levels).length > 0) {
                out.severity = levels;
            }
        }
    }

    const inlayHints = read('inlayHints');
    if (typeof inlayHints === 'boolean') {
        out.inlayHints = inlayHints;
    }
    const debounce = read('debounceMs');
    if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) {
        out.debounceMs = Math.round(debounce);
    }
    return out;
}

/** The value of `section` (`roster` or `roster.<path>`) in the built settings. */
export function sectionOf(settings: RosterSettings, section: string): unknown {
    if (section === 'roster') {
        return settings;
    }
    let value: unknown = settings;
    for (const part of section.slice('roster.'.length).split('.')) {
        if (value === null || typeof value !== 'object') {
            return null;
        }
        value = (value as Record<string, unknown>)[part];
    }
    return value ?? null;
}

/** A bare name is looked up on PATH; `~` is the home folder; a relative path
 * with a separator is taken from the workspace folder. */
export function resolveServerPath(
    raw: unknown,
    folder: string,
    home: string,
    pathApi: { isAbsolute(p: string): boolean; join(...p: string[]): string; resolve(...p: string[]): string },
): string {
    let p = typeof raw === 'string' ? raw.trim() : '';
    if (p === '') {
        return 'roster';
    }
    p = p.split('${workspaceFolder}').join(folder);
    if (p === '~') {
        return home;
    }
    if (p.startsWith('~/') || p.startsWith('~\\')) {
        return pathApi.join(home, p.slice(2));
    }
    if (!pathApi.isAbsolute(p) && (p.includes('/') || p.includes('\\'))) {
        return pathApi.resolve(folder, p);
    }
    return p;
}
