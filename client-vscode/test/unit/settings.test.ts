import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  configurationAnswers,
  type ServerSettings,
  changeNeedsPush,
  changeNeedsRestart,
  didChangeConfigurationParams,
  initializationOptions,
  readSettings,
  RESTART_SETTING_KEYS,
  SERVER_SETTING_KEYS,
} from "../../src/settings";

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe("readSettings", () => {
  it("gives the server model's defaults when nothing is set", () => {
    const { server, client } = readSettings(from({}));
    assert.deepEqual(server, { severity: {}, disable: [], inlayHints: true, docsBaseUrl: "" });
    assert.deepEqual(client, { importStrategy: "useBundled", interpreter: [], path: "" });
  });

  it("keeps valid severities and normalises codes and levels", () => {
    const { server } = readSettings(from({ severity: { ais105: "Error", AIS117: "info", AIS101: "loud", AIS102: 3 } }));
    assert.deepEqual(server.severity, { AIS105: "error", AIS117: "info" });
  });

  it("reads disabled rules as a de-duplicated list of codes", () => {
    assert.deepEqual(readSettings(from({ disable: ["AIS117", "ais117", 4, ""] })).server.disable, ["AIS117"]);
    assert.deepEqual(readSettings(from({ disable: "AIS118" })).server.disable, ["AIS118"]);
  });

  it("falls back to defaults on wrong types", () => {
    const { server, client } = readSettings(from({ inlayHints: "no", docsBaseUrl: 5, importStrategy: "other", path: 3 }));
    assert.equal(server.inlayHints, true);
    assert.equal(server.docsBaseUrl, "");
    assert.equal(client.importStrategy, "useBundled");
    assert.equal(client.path, "");
  });

  it("accepts the interpreter as a string or a list", () => {
    assert.deepEqual(readSettings(from({ interpreter: " /usr/bin/python3.12 " })).client.interpreter, ["/usr/bin/python3.12"]);
    assert.deepEqual(readSettings(from({ interpreter: ["py", "-3.12"] })).client.interpreter, ["py", "-3.12"]);
    assert.deepEqual(readSettings(from({ interpreter: "" })).client.interpreter, []);
  });

  it("reads the other client settings", () => {
    const { client, server } = readSettings(
      from({ importStrategy: "fromEnvironment", path: " /opt/bin/ai-strategy ", inlayHints: false, docsBaseUrl: "https://x/" }),
    );
    assert.deepEqual(client, { importStrategy: "fromEnvironment", interpreter: [], path: "/opt/bin/ai-strategy" });
    assert.equal(server.inlayHints, false);
    assert.equal(server.docsBaseUrl, "https://x/");
  });
});

describe("what is sent to the server", () => {
  const server = readSettings(from({ severity: { AIS105: "error" }, disable: ["AIS117"], inlayHints: false })).server;

  it("wraps the server settings in initializationOptions.settings", () => {
    assert.deepEqual(initializationOptions(server), {
      settings: { severity: { AIS105: "error" }, disable: ["AIS117"], inlayHints: false, docsBaseUrl: "" },
    });
  });

  it("sends no values on didChangeConfiguration: the server asks for them per folder", () => {
    assert.deepEqual(didChangeConfigurationParams(), { settings: null });
  });

  it("answers workspace/configuration for aiStrategy with the scope's server settings", () => {
    const perFolder: Record<string, ServerSettings> = {
      "file:///a": readSettings(from({ disable: ["AIS117"] })).server,
      "file:///b": readSettings(from({ inlayHints: false })).server,
    };
    const asked: (string | undefined)[] = [];
    const answers = configurationAnswers(
      [
        { section: "aiStrategy", scopeUri: "file:///a" },
        { section: "editor", scopeUri: "file:///a" },
        { section: "aiStrategy", scopeUri: "file:///b" },
        { section: "aiStrategy" },
      ],
      ["raw a", { tabSize: 4 }, "raw b", "raw window"],
      (scopeUri) => {
        asked.push(scopeUri);
        return perFolder[scopeUri ?? ""] ?? server;
      },
    );
    assert.deepEqual(answers, [perFolder["file:///a"], { tabSize: 4 }, perFolder["file:///b"], server]);
    assert.deepEqual(asked, ["file:///a", "file:///b", undefined]);
    assert.deepEqual(Object.keys(answers[0] as object).sort(), [...SERVER_SETTING_KEYS].sort());
  });

  it("sends exactly the server's keys, never the client-only ones", () => {
    assert.deepEqual(Object.keys(initializationOptions(server).settings).sort(), [...SERVER_SETTING_KEYS].sort());
  });
});

describe("reacting to a change", () => {
  const affects = (...changed: string[]) => (section: string) => changed.includes(section);

  it("restarts the server when the way to start it changed", () => {
    for (const key of RESTART_SETTING_KEYS) {
      assert.equal(changeNeedsRestart(affects(`aiStrategy.${key}`)), true, key);
    }
    assert.equal(changeNeedsRestart(affects("aiStrategy.severity")), false);
  });

  it("pushes server settings without a restart", () => {
    for (const key of SERVER_SETTING_KEYS) {
      assert.equal(changeNeedsPush(affects(`aiStrategy.${key}`)), true, key);
    }
    assert.equal(changeNeedsPush(affects("editor.fontSize")), false);
  });
});

describe("package.json", () => {
  // out/test/unit -> client-vscode
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const properties = manifest.contributes.configuration.properties;

  it("contributes every setting the client reads or sends", () => {
    for (const key of [...SERVER_SETTING_KEYS, ...RESTART_SETTING_KEYS, "trace.server"]) {
      assert.ok(`aiStrategy.${key}` in properties, key);
    }
  });

  it("contributes no setting the client ignores", () => {
    const known = new Set<string>([...SERVER_SETTING_KEYS, ...RESTART_SETTING_KEYS, "trace.server"]);
    for (const name of Object.keys(properties)) {
      assert.ok(known.has(name.replace(/^aiStrategy\./, "")), name);
    }
  });

  it("has defaults that readSettings reproduces", () => {
    const defaults = Object.fromEntries(
      Object.entries(properties).map(([name, spec]) => [name.replace(/^aiStrategy\./, ""), spec.default]),
    );
    const { server, client } = readSettings((key) => defaults[key]);
    assert.deepEqual(server, readSettings(() => undefined).server);
    assert.deepEqual(client, readSettings(() => undefined).client);
  });
});
