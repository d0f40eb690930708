// The build script `npm run build` runs in each release: writes dist/banner.txt.
const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/banner.txt", "built by npm run build\n");
