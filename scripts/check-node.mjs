// npm runs scripts with node_modules/.bin first on PATH, where the pinned Node 24 lives.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Portcullis needs Node.js 24 or newer; this is ${process.version}. Run npm install to fetch the pinned Node 24.`,
  );
  process.exit(1);
}
