import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

// out/test/unit -> client-vscode
const root = path.join(__dirname, "..", "..", "..");
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(root, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName: string) => {
      const file = path.join(root, "syntaxes", "toml.tmLanguage.json");
      return Promise.resolve(
        scopeName === "source.ai-strategy-toml" ? textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null,
      );
    },
  });
  const loaded = await registry.loadGrammar("source.ai-strategy-toml");
  assert.ok(loaded);
  grammar = loaded;
});

/** Tokenises `text` and returns `[token text, innermost scope]` pairs, blanks dropped. */
function tokens(text: string): [string, string][] {
  let stack = textmate.INITIAL;
  const result: [string, string][] = [];
  for (const line of text.split("\n")) {
    const tokenized = grammar.tokenizeLine(line, stack);
    for (const token of tokenized.tokens) {
      const value = line.slice(token.startIndex, token.endIndex);
      if (value.trim() !== "") {
        result.push([value.trim(), token.scopes[token.scopes.length - 1]]);
      }
    }
    stack = tokenized.ruleStack;
  }
  return result;
}

function scopeOf(text: string, fragment: string): string | undefined {
  return tokens(text).find(([value]) => value === fragment)?.[1];
}

describe("TOML grammar (used when no TOML extension is installed)", () => {
  const file = [
    "version = 1  # the format version",
    "",
    "[strategy]",
    'approach = "rag-ish"',
    "base_model = 'llama'",
    "",
    "[[servers.list]]",
    "size_tokens = 500_000",
    "learning_rate = 2e-4",
    "ratio = -0.5",
    "mask = 0xFF_FF",
    "citations = true",
    'sources = ["zendesk", "confluence"]',
    'severity = {AIS105 = "error"}',
    "when = 2024-05-01T10:00:00Z",
    '"quoted key".child = false',
    'text = """',
    "multi [not a table]",
    'line"""',
    "after = 3",
  ].join("\n");

  it("scopes comments", () => {
    assert.equal(scopeOf(file, "the format version"), "comment.line.number-sign.toml");
  });

  it("scopes table and array-of-tables headers", () => {
    assert.equal(scopeOf(file, "strategy"), "support.type.property-name.table.toml");
    assert.equal(scopeOf(file, "servers"), "support.type.property-name.array.toml");
    assert.equal(scopeOf(file, "[["), "punctuation.definition.table.array.toml");
  });

  it("scopes keys, including dotted and quoted ones, and inline-table keys", () => {
    assert.equal(scopeOf(file, "approach"), "support.type.property-name.toml");
    assert.equal(scopeOf(file, "AIS105"), "support.type.property-name.toml");
    assert.equal(scopeOf(file, "child"), "support.type.property-name.toml");
    assert.match(scopeOf(file, '"quoted key"') ?? "", /property-name/);
  });

  it("scopes values", () => {
    assert.equal(scopeOf(file, "rag-ish"), "string.quoted.double.basic.toml");
    assert.equal(scopeOf(file, "llama"), "string.quoted.single.literal.toml");
    assert.equal(scopeOf(file, "500_000"), "constant.numeric.integer.toml");
    assert.equal(scopeOf(file, "2e-4"), "constant.numeric.float.toml");
    assert.equal(scopeOf(file, "-0.5"), "constant.numeric.float.toml");
    assert.equal(scopeOf(file, "0xFF_FF"), "constant.numeric.hex.toml");
    assert.equal(scopeOf(file, "true"), "constant.language.boolean.toml");
    assert.equal(scopeOf(file, "zendesk"), "string.quoted.double.basic.toml");
    assert.equal(scopeOf(file, "2024-05-01T10:00:00Z"), "constant.other.time.datetime.toml");
    assert.equal(scopeOf(file, "1"), "constant.numeric.integer.toml");
  });

  it("keeps multi-line strings whole and resumes after them", () => {
    assert.equal(scopeOf(file, "multi [not a table]"), "string.quoted.triple.basic.block.toml");
    assert.equal(scopeOf(file, "after"), "support.type.property-name.toml");
  });

  it("does not run an unterminated string past the end of its line", () => {
    assert.equal(scopeOf('a = "open\nb = 2', "b"), "support.type.property-name.toml");
  });
});
