// Starts `sparkguard server` for Python, Scala and Jupyter notebooks, and hands it
// the `sparkguard.select` / `sparkguard.ignore` settings. Everything else (findings,
// hover, code actions, config files) is the server's.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration("sparkguard").get<string>("path");
  return configured && configured.trim() !== "" ? configured : "sparkguard";
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration("sparkguard");
  const serverOptions: ServerOptions = { command: serverCommand(), args: ["server"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "file", language: "scala" },
      { scheme: "untitled", language: "python" },
      { scheme: "untitled", language: "scala" },
    ],
    // Sends workspace/didChangeConfiguration when a sparkguard setting changes.
    synchronize: { configurationSection: "sparkguard" },
    initializationOptions: {
      select: settings.get<string[] | null>("select") ?? null,
      ignore: settings.get<string[]>("ignore") ?? [],
    },
  };
  client = new LanguageClient("sparkguard", "sparkguard", serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A different binary needs a new server; other settings reach the running one.
      if (event.affectsConfiguration("sparkguard.path")) {
        await client?.stop();
        await start();
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
