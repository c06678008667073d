// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace agentbay::protocol {

// Why a call did not give a usable answer: one small typed model, with the request id kept.
struct ApiError
{
    enum class Kind {
        None,
        InvalidArgument,   // refused before any request (language, timeout, missing key)
        ServiceError,      // HTTP 4xx/5xx with a POP error body
        Throttled,         // Throttling, Throttling.User, Throttling.Api: slow down and retry
        Rejected,          // HTTP 200 with Success:false and a Code
        MalformedResponse, // not JSON, truncated, or missing what the action needs
        ConnectionRefused,
        ConnectionClosed, // reset or closed by the peer mid-request
        HostNotFound,
        TlsFailure,
        Timeout,        // our transfer timeout expired
        Cancelled,      // the user (or shutdown) aborted the call
        NetworkFailure, // any other transport error
    };

    Kind kind = Kind::None;
    QString code;      // POP code, e.g. InvalidMcpSession.NotFound, NOT_LOGIN
    QString message;   // the server's or transport's own words
    QString requestId; // RequestId of the answer, when there was one
    int httpStatus = 0;

    bool isError() const { return kind != Kind::None; }
    bool isSessionNotFound() const;
    // One line a person can act on, e.g. "[NOT_LOGIN] You are not logged in... (request id X)".
    QString humanMessage() const;
    static QString kindName(Kind kind);
};

} // namespace agentbay::protocol

Q_DECLARE_METATYPE(agentbay::protocol::ApiError)
