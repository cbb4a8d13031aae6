// VS Code client for `roster lsp`, the language server for officials' names
// and titles in Vietnamese news text (see /README.md, "The language server").

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
    ConfigurationParams,
    DidChangeConfigurationNotification,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    ResponseError,
    ServerOptions,
    State,
} from 'vscode-languageclient/node';
import { buildSettings, resolveServerPath, RosterSettings, sectionOf } from './settings';

const SECTION = 'roster';
const CREATE_PROFILE = 'roster.createProfile';
const LANGUAGES = ['markdown', 'plaintext'];

/** Params of the server's `roster/status` notification. */
interface RosterStatus {
    indexing: boolean;
    profiles: number;
    documents: number;
}

let client: LanguageClient | undefined;
let folder: vscode.WorkspaceFolder | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
/** Our own `roster.createProfile` handler, registered while the running
 * server does not advertise the command (when it does, vscode-languageclient
 * registers a command of that id itself and the middleware below fills in the
 * arguments). */
let fallbackCreateProfile: vscode.Disposable | undefined;
/** Serialises start/stop/restart. */
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    output = vscode.window.createOutputChannel('Roster');
    statusItem = vscode.window.createStatusBarItem('roster.status', vscode.StatusBarAlignment.Left, 10);
    statusItem.name = 'Roster';
    context.subscriptions.push(
        output,
        statusItem,
        { dispose: () => fallbackCreateProfile?.dispose() },
        vscode.commands.registerCommand('roster.restartServer', () => restartCommand()),
        vscode.commands.registerCommand('roster.showMentions', showMentions),
        vscode.commands.registerCommand('roster.showOutput', () => output.show(true)),
        vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
        vscode.workspace.onDidChangeWorkspaceFolders(() => queue(checkWorkspace)),
    );
    registerFallbackCreateProfile();
    await queue(checkWorkspace);
}

export async function deactivate(): Promise<void> {
    await queue(stopClient);
}

function queue(step: () => Promise<void>): Promise<void> {
    lifecycle = lifecycle.then(step, step).catch((e) => log(`error: ${errorText(e)}`));
    return lifecycle;
}

function log(message: string): void {
    output.appendLine(`[client] ${message}`);
}

function errorText(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------
// Workspace check

async function exists(uri: vscode.Uri, type: vscode.FileType): Promise<boolean> {
    try {
        const stat = await vscode.workspace.fs.stat(uri);
        return (stat.type & type) !== 0;
    } catch {
        return false;
    }
}

/** The first workspace folder with `roster.toml` or a `people/` folder. */
async function findRosterFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
        if (f.uri.scheme !== 'file') {
            continue;
        }
        if (
            (await exists(vscode.Uri.joinPath(f.uri, 'roster.toml'), vscode.FileType.File)) ||
            (await exists(vscode.Uri.joinPath(f.uri, 'people'), vscode.FileType.Directory))
        ) {
            return f;
        }
    }
    return undefined;
}

/** Starts the server for the roster folder, or stops it when there is none
 * any more (workspace folders changed). */
async function checkWorkspace(): Promise<void> {
    const found = await findRosterFolder();
    if (client && found && folder && found.uri.toString() === folder.uri.toString()) {
        return;
    }
    await stopClient();
    folder = found;
    await vscode.commands.executeCommand('setContext', 'roster.active', found !== undefined);
    if (!found) {
        log('no roster.toml or people/ folder in this workspace: the server is not started');
        statusItem.hide();
        return;
    }
    await startClient(found);
}

// ---------------------------------------------------------------------------
// Settings

function settingsFor(scope: vscode.Uri | undefined): RosterSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return buildSettings(
        (key) => config.get(key),
        (message) => log(`setting ignored: ${message}`),
    );
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SECTION)) {
        return;
    }
    if (e.affectsConfiguration('roster.server.path')) {
        if (folder) {
            log('roster.server.path changed: restarting the server');
            void queue(restart);
        }
        return;
    }
    if (e.affectsConfiguration('roster.trace')) {
        return; // handled by vscode-languageclient itself
    }
    if (client?.isRunning() && folder) {
        // The server answers this by pulling `workspace/configuration`
        // (answered by the middleware below); the payload is the same object
        // for servers that do not pull.
        const settings = settingsFor(folder.uri);
        client
            .sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } })
            .catch((err) => log(`workspace/didChangeConfiguration failed: ${errorText(err)}`));
    }
}

// ---------------------------------------------------------------------------
// Client life cycle

function createClient(root: vscode.WorkspaceFolder): LanguageClient {
    const rawPath = vscode.workspace.getConfiguration(SECTION, root.uri).get<string>('server.path');
    const command = resolveServerPath(rawPath, root.uri.fsPath, os.homedir(), path);
    log(`starting: ${command} lsp (workspace ${root.uri.fsPath})`);

    const serverOptions: ServerOptions = {
        command,
        args: ['lsp'],
        options: { cwd: root.uri.fsPath },
    };

    const clientOptions: LanguageClientOptions = {
        documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
        workspaceFolder: root,
        // statusNotifications: the server sends roster/status for the status bar.
        initializationOptions: { ...settingsFor(root.uri), statusNotifications: true },
        outputChannel: output,
        middleware: {
            workspace: {
                configuration: async (params: ConfigurationParams, token, next) => {
                    const answer = await next(params, token);
                    if (answer instanceof ResponseError || !Array.isArray(answer)) {
                        return answer;
                    }
                    return params.items.map((item, i) => {
                        const section = item.section;
                        if (section !== SECTION && !section?.startsWith(`${SECTION}.`)) {
                            return answer[i];
                        }
                        const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : root.uri;
                        return sectionOf(settingsFor(scope), section);
                    });
                },
            },
            executeCommand: async (command, args, next) => {
                if (command === CREATE_PROFILE) {
                    // Sent directly rather than through `next`, so that a
                    // refusal ("no person without a profile under the
                    // cursor") is shown once, as a plain message.
                    return createProfile(args, (filled) =>
                        c.sendRequest(ExecuteCommandRequest.type, { command, arguments: filled }),
                    );
                }
                return next(command, args);
            },
        },
    };

    const c = new LanguageClient('roster', 'Roster', serverOptions, clientOptions);
    c.onNotification('roster/status', (status: RosterStatus) => showStatus(status));
    c.onDidChangeState((e) => {
        if (e.newState === State.Stopped && c === client) {
            setStatus('$(circle-slash) roster: stopped', 'The roster server is not running. Click to restart it.', 'roster.restartServer');
        }
    });
    return c;
}

async function startClient(root: vscode.WorkspaceFolder): Promise<void> {
    const c = createClient(root);
    client = c;
    statusReceived = false;
    setStatus('$(sync~spin) roster: starting', 'Starting the roster language server…', 'roster.showOutput');
    // vscode-languageclient registers `roster.createProfile` itself if the
    // server lists it in `executeCommandProvider`: make room for it.
    fallbackCreateProfile?.dispose();
    fallbackCreateProfile = undefined;
    try {
        await c.start();
    } catch (e) {
        registerFallbackCreateProfile();
        setStatus('$(error) roster', `The roster server could not be started: ${errorText(e)}`, 'roster.showOutput');
        const settings = 'Open Settings';
        void vscode.window
            .showErrorMessage(
                `Roster: could not start "${serverCommandOf(root)} lsp". Install roster (cargo install --path . in the roster repository) or set roster.server.path.`,
                settings,
            )
            .then((choice) => {
                if (choice === settings) {
                    void vscode.commands.executeCommand('workbench.action.openSettings', 'roster.server.path');
                }
            });
        return;
    }
    if (!serverProvidesCreateProfile(c)) {
        registerFallbackCreateProfile();
    }
    if (!statusReceived) {
        setStatus('roster', 'The roster language server is running.', 'roster.showOutput');
    }
}

function serverCommandOf(root: vscode.WorkspaceFolder): string {
    const raw = vscode.workspace.getConfiguration(SECTION, root.uri).get<string>('server.path');
    return resolveServerPath(raw, root.uri.fsPath, os.homedir(), path);
}

async function stopClient(): Promise<void> {
    const c = client;
    client = undefined;
    if (!c) {
        return;
    }
    try {
        if (c.isRunning()) {
            await c.stop();
        }
    } catch (e) {
        log(`stopping the server: ${errorText(e)}`);
    }
    try {
        await c.dispose();
    } catch {
        // already stopped
    }
    registerFallbackCreateProfile();
}

async function restart(): Promise<void> {
    await stopClient();
    folder = await findRosterFolder();
    await vscode.commands.executeCommand('setContext', 'roster.active', folder !== undefined);
    if (folder) {
        await startClient(folder);
    } else {
        statusItem.hide();
    }
}

async function restartCommand(): Promise<void> {
    await queue(restart);
    if (!folder) {
        void vscode.window.showInformationMessage(
            'Roster: this workspace has no roster.toml or people/ folder, so the server is not started.',
        );
    }
}

// ---------------------------------------------------------------------------
// Status bar

let statusReceived = false;

function setStatus(text: string, tooltip: string, command: string): void {
    statusItem.text = text;
    statusItem.tooltip = tooltip;
    statusItem.command = command;
    statusItem.show();
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function showStatus(status: RosterStatus): void {
    statusReceived = true;
    const profiles = Number(status?.profiles ?? 0);
    const documents = Number(status?.documents ?? 0);
    if (status?.indexing) {
        setStatus('$(sync~spin) roster: indexing', 'The roster server is indexing the workspace…', 'roster.showOutput');
    } else {
        setStatus(
            `roster: ${plural(profiles, 'profile')}`,
            `roster: ${plural(profiles, 'profile')}, ${plural(documents, 'document')} indexed. Click for the server output.`,
            'roster.showOutput',
        );
    }
}

// ---------------------------------------------------------------------------
// Commands

function serverProvidesCreateProfile(c: LanguageClient): boolean {
    const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    return commands.includes(CREATE_PROFILE);
}

/** Registers our own `roster.createProfile` unless vscode-languageclient has
 * registered it for a running server that advertises it. */
function registerFallbackCreateProfile(): void {
    if (fallbackCreateProfile) {
        return;
    }
    if (client?.isRunning() && serverProvidesCreateProfile(client)) {
        return;
    }
    try {
        fallbackCreateProfile = vscode.commands.registerCommand(CREATE_PROFILE, (...args: unknown[]) => {
            const c = client;
            if (!c?.isRunning()) {
                void vscode.window.showWarningMessage('Roster: the server is not running.');
                return undefined;
            }
            return createProfile(args, (filled) =>
                c.sendRequest(ExecuteCommandRequest.type, { command: CREATE_PROFILE, arguments: filled }),
            );
        });
    } catch (e) {
        // Already registered by vscode-languageclient.
        log(`roster.createProfile: ${errorText(e)}`);
    }
}

/**
 * `roster.createProfile` with arguments `[documentUri, {line, character}]`;
 * from the command palette (no arguments) they are those of the active
 * editor's cursor. The server creates `people/<slug>.md` itself through
 * `workspace/applyEdit`; the new file is then opened (and saved, so that the
 * server indexes it from disk).
 */
async function createProfile(args: unknown[], send: (args: unknown[]) => Promise<unknown> | unknown): Promise<unknown> {
    let filled = args;
    if (!filled || filled.length === 0) {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.document.uri.scheme !== 'file' || !LANGUAGES.includes(editor.document.languageId)) {
            void vscode.window.showWarningMessage(
                'Roster: put the cursor on a name in a Markdown or plain-text document first.',
            );
            return undefined;
        }
        const pos = editor.selection.active;
        filled = [editor.document.uri.toString(), { line: pos.line, character: pos.character }];
    }

    const created: vscode.Uri[] = [];
    const watch = vscode.workspace.onDidCreateFiles((e) => created.push(...e.files));
    let result: unknown;
    try {
        result = await send(filled);
    } catch (e) {
        void vscode.window.showErrorMessage(`Roster: could not create the profile: ${errorText(e)}`);
        return undefined;
    } finally {
        watch.dispose();
    }

    const target = profileUriOf(result) ?? created.find((u) => u.path.endsWith('.md')) ?? created[0];
    if (target) {
        try {
            const doc = await vscode.workspace.openTextDocument(target);
            await vscode.window.showTextDocument(doc, { preview: false });
            if (doc.isDirty) {
                await doc.save();
            }
        } catch (e) {
            log(`opening the new profile ${target.toString()}: ${errorText(e)}`);
        }
    }
    return result;
}

/** The new profile named in the command's result: `{"path": "people/x.md"}`
 * (relative to the workspace folder), `{"uri": ...}` or a URI string. */
function profileUriOf(result: unknown): vscode.Uri | undefined {
    const field = (name: string): string | undefined => {
        const v = result && typeof result === 'object' ? (result as Record<string, unknown>)[name] : undefined;
        return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const uri = typeof result === 'string' ? result : field('uri');
    if (uri && /^[a-z][a-z0-9+.-]*:/i.test(uri)) {
        try {
            return vscode.Uri.parse(uri, true);
        } catch {
            return undefined;
        }
    }
    const rel = field('path');
    if (rel) {
        if (path.isAbsolute(rel)) {
            return vscode.Uri.file(rel);
        }
        if (folder) {
            return vscode.Uri.joinPath(folder.uri, ...rel.split(/[\\/]/));
        }
    }
    return undefined;
}

/** Target of the code lens on profile files: arguments `[uri, position]`. */
async function showMentions(uri?: unknown, position?: unknown): Promise<void> {
    let target: vscode.Uri | undefined;
    if (uri instanceof vscode.Uri) {
        target = uri;
    } else if (typeof uri === 'string') {
        target = vscode.Uri.parse(uri);
    }
    let at: vscode.Position | undefined;
    if (position instanceof vscode.Position) {
        at = position;
    } else if (position && typeof position === 'object') {
        const p = position as { line?: unknown; character?: unknown };
        if (typeof p.line === 'number' && typeof p.character === 'number') {
            at = new vscode.Position(p.line, p.character);
        }
    }
    const editor = vscode.window.activeTextEditor;
    target ??= editor?.document.uri;
    at ??= editor?.selection.active;
    if (!target || !at) {
        return;
    }
    await vscode.commands.executeCommand('editor.action.findReferences', target, at);
}
