module.exports = (name) => `hello from greet, ${name}`;
