// Preloaded into Azurite (NODE_OPTIONS=--require) when a request log is asked for: one line per HTTP request Azurite
// receives, tab-separated: ISO time, service, method, URL path and query, User-Agent. Azurite's --debug log says as
// much, but in kilobytes per request, which cost Azurite about a fifth of its CPU: a benchmark would measure that too.
"use strict";
const fs = require("fs");
const http = require("http");

const path = process.env.CHORUS_AZURITE_REQUEST_LOG;
if (path) {
  const services = JSON.parse(process.env.CHORUS_AZURITE_SERVICES || "{}");
  const out = fs.createWriteStream(path);
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, request) {
    if (event === "request") {
      const port = String(this.address()?.port);
      const agent = request.headers["user-agent"] ?? "";
      out.write(`${new Date().toISOString()}\t${services[port] ?? port}\t${request.method}\t${request.url}\t${agent}\n`);
    }
    return emit.apply(this, arguments);
  };
}
