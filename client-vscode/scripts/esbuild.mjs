// Bundles the extension in two parts, with vscode-languageclient in the second:
//   dist/extension.js  src/extension.ts: activation, settings, spawning the server
//   dist/client.js     src/client.ts: the language client, loaded once the server is spawned
// so that loading the language client (most of the code) overlaps with the server's start
// instead of coming before it. --production: minified, no source map. --watch: rebuild on change.
import * as esbuild from "esbuild";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** Leaves `require("./client")` in dist/extension.js to load dist/client.js at run time. */
const clientApart = {
  name: "client-apart",
  setup(build) {
    build.onResolve({ filter: /^\.\/client$/ }, () => ({ path: "./client.js", external: true }));
  },
};

const common = {
  bundle: true,
  external: ["vscode"],
  format: "cjs",
  platform: "node",
  target: "node18", // VS Code 1.82's extension host
  minify: production,
  sourcemap: !production,
  logLevel: "info",
};
const builds = [
  { ...common, entryPoints: ["src/extension.ts"], outfile: "dist/extension.js", plugins: [clientApart] },
  { ...common, entryPoints: ["src/client.ts"], outfile: "dist/client.js" },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
