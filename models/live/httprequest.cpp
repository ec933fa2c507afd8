#include "httprequest.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tl::live {

namespace {

constexpr size_t kMaxHead = 64 * 1024;

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

std::string_view HttpRequest::header(std::string_view name) const
{
    for (const auto &[k, v] : headers)
        if (k == name)
            return v;
    return {};
}

HttpRequestParser::State HttpRequestParser::fail(int status, std::string why)
{
    m_errorStatus = status;
    m_error = std::move(why);
    return State::Error;
}

HttpRequestParser::State HttpRequestParser::next(HttpRequest &out)
{
    if (m_errorStatus)
        return State::Error;
    // Tolerate the blank lines some clients send between requests.
    while (m_buf.size() >= 2 && m_buf.compare(0, 2, "\r\n") == 0)
        m_buf.erase(0, 2);
    const size_t headEnd = m_buf.find("\r\n\r\n");
    if (headEnd == std::string::npos)
        return m_buf.size() > kMaxHead ? fail(431, "request head over 64 KiB") : State::NeedMore;
    if (headEnd > kMaxHead)
        return fail(431, "request head over 64 KiB");
    std::string_view head(m_buf.data(), headEnd);
    HttpRequest req;
    size_t lineEnd = head.find("\r\n");
    std::string_view requestLine = head.substr(0, lineEnd);
    const size_t sp1 = requestLine.find(' '), sp2 = requestLine.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1)
        return fail(400, "malformed request line");
    req.method = std::string(requestLine.substr(0, sp1));
    req.target = std::string(requestLine.substr(sp1 + 1, sp2 - sp1 - 1));
    req.version = std::string(requestLine.substr(sp2 + 1));
    if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0")
        return fail(400, "not HTTP/1.x");
    req.keepAlive = req.version == "HTTP/1.1";
    while (lineEnd != std::string_view::npos) {
        const size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        std::string_view line = head.substr(
            start, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - start);
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return fail(400, "malformed header line");
        req.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                 std::string(trim(line.substr(colon + 1))));
    }
    const std::string connection = lower(req.header("connection"));
    if (connection == "close")
        req.keepAlive = false;
    else if (connection == "keep-alive")
        req.keepAlive = true;
    const size_t bodyStart = headEnd + 4;
    if (lower(req.header("transfer-encoding")).find("chunked") != std::string::npos) {
        out = std::move(req);
        return readChunked(out, bodyStart);
    }
    size_t length = 0;
    if (std::string_view cl = req.header("content-length"); !cl.empty()) {
        auto [p, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
        if (ec != std::errc() || p != cl.data() + cl.size())
            return fail(400, "bad Content-Length");
    }
    if (length > m_maxBody)
        return fail(413, "body of " + std::to_string(length) + " bytes over the limit of " +
                             std::to_string(m_maxBody));
    if (m_buf.size() - bodyStart < length)
        return State::NeedMore;
    req.body = m_buf.substr(bodyStart, length);
    m_buf.erase(0, bodyStart + length);
    out = std::move(req);
    return State::Ready;
}

// `out` already holds the head; the buffer is consumed only once the whole
// body has arrived (a chunked body is re-scanned as more comes: bodies are small).
HttpRequestParser::State HttpRequestParser::readChunked(HttpRequest &out, size_t pos)
{
    std::string body;
    for (;;) {
        const size_t eol = m_buf.find("\r\n", pos);
        if (eol == std::string::npos)
            return m_buf.size() - pos > 1024 ? fail(400, "malformed chunk size") : State::NeedMore;
        std::string_view sizeText(m_buf.data() + pos, eol - pos);
        sizeText = sizeText.substr(0, sizeText.find(';')); // chunk extensions
        size_t size = 0;
        auto [p, ec] =
            std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size, 16);
        if (ec != std::errc() || sizeText.empty())
            return fail(400, "malformed chunk size");
        if (size > m_maxBody || body.size() + size > m_maxBody)
            return fail(413, "chunked body over the limit of " + std::to_string(m_maxBody));
        pos = eol + 2;
        if (size == 0) {
            // Trailers, then a blank line.
            const size_t end = m_buf.find("\r\n\r\n", pos - 2);
            if (end == std::string::npos)
                return State::NeedMore;
            m_buf.erase(0, end + 4);
            out.body = std::move(body);
            return State::Ready;
        }
        if (m_buf.size() < pos + size + 2)
            return State::NeedMore;
        body.append(m_buf, pos, size);
        pos += size + 2;
    }
}

std::string httpResponse(int status, std::string_view contentType, std::string_view body,
                         const std::vector<std::pair<std::string, std::string>> &extra,
                         bool keepAlive)
{
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
    if (!contentType.empty())
        r += "Content-Type: " + std::string(contentType) + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto &[k, v] : extra)
        r += k + ": " + v + "\r\n";
    if (!keepAlive)
        r += "Connection: close\r\n";
    r += "\r\n";
    r.append(body);
    return r;
}

} // namespace tl::live
