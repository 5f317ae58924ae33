// Backstage's house style, with the line length this code base is written to.
module.exports = {
  ...require('@backstage/cli/config/prettier'),
  printWidth: 120,
};
