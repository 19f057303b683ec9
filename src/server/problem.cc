#include "server/problem.h"

#include "json/json_writer.h"

namespace trailbook::server {

int HttpStatusFor(const Status& status, StatusOrigin origin) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kResourceExhausted:
      switch (origin) {
        case StatusOrigin::kRequest: return 413;
        case StatusOrigin::kQueue: return 429;
        case StatusOrigin::kQuery: return 422;
      }
      return 429;
    case StatusCode::kCancelled: return origin == StatusOrigin::kQuery ? 504 : 503;
    case StatusCode::kCorruption:
    case StatusCode::kIOError:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string_view ProblemSlug(int http_status) {
  switch (http_status) {
    case 400: return "bad-request";
    case 401: return "invalid-token";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "method-not-allowed";
    case 409: return "conflict";
    case 413: return "too-large";
    case 415: return "unsupported-media-type";
    case 422: return "query-memory-limit";
    case 429: return "too-many-requests";
    case 431: return "headers-too-large";
    case 501: return "not-implemented";
    case 503: return "unavailable";
    case 504: return "query-timeout";
    default: return http_status >= 500 ? "internal-error" : "error";
  }
}

namespace {

std::string_view Title(int http_status) {
  switch (http_status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Query Timeout";
    default: return http_status >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

HttpResponse Problem(int http_status, std::string_view detail, const HttpRequest& request,
                     std::string_view field) {
  HttpResponse response;
  response.status = http_status;
  response.content_type = "application/problem+json";
  json::JsonWriter w;
  w.BeginObject();
  w.Key("type");
  w.String("https://trailbook.dev/problems/" + std::string(ProblemSlug(http_status)));
  w.Key("title");
  w.String(Title(http_status));
  w.Key("status");
  w.Int(http_status);
  w.Key("detail");
  w.String(detail);
  w.Key("instance");
  w.String(request.path);
  w.Key("request_id");
  w.String(request.request_id);
  if (!field.empty()) {
    w.Key("field");
    w.String(field);
  }
  w.EndObject();
  response.body = std::move(w).Take();
  if (http_status == 401) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
  return response;
}

HttpResponse ProblemFromStatus(const Status& status, StatusOrigin origin,
                               const HttpRequest& request, std::string_view field) {
  int code = HttpStatusFor(status, origin);
  std::string_view detail = status.message();
  if (code == 500) detail = "internal error; see the server log for the request id";
  if (code == 401) detail = "invalid token";
  return Problem(code, detail, request, field);
}

}  // namespace trailbook::server
