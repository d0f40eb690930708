// A build-time tool (a dev dependency): the line the build writes.
module.exports = () => "built by npm run build on the controller\n";
