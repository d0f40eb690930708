// `npm run build`, on the controller: writes dist/banner.txt with a dev dependency's help.
const fs = require("fs");
const banner = require("banner");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/banner.txt", banner());
