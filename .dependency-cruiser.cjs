// dependency-cruiser rules (run by `npm run lint`): no import cycle between src/ folders, and code outside a folder
// imports only that folder's public face, its index.ts.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment: 'Two src/ folders import each other (directly or through others): move the shared part down a layer.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'only-through-index',
      comment: "Code outside a src/ folder imports only that folder's index.ts (its public face); export what you need there.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'only-through-index-from-outside',
      comment: "The CLI and src/'s top-level files import a src/ folder only through its index.ts.",
      severity: 'error',
      from: { path: '^(cli/|src/[^/]+\\.ts$)' },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|artifacts|cache|typechain-types)/' },
  },
};
