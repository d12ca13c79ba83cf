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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|artifacts|cache|typechain-types)/' },
  },
};
