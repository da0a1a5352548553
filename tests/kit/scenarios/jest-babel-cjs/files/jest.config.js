// jest's defaults: node environment, babel-jest transform (babel.config.js).
module.exports = {};
