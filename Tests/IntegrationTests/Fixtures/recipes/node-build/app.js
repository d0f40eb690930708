// Answers with the greeting of its dependency and the banner its build wrote.
const fs = require("fs");
const path = require("path");
const greet = require("greet");
const banner = fs.readFileSync(path.join(__dirname, "dist", "banner.txt"), "utf8");
process.stdout.write(`${greet("node")}\n${banner}`);
