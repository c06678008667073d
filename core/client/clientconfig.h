// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

namespace agentbay::client {

// Where and as whom the client talks.
struct ClientConfig
{
    QUrl endpoint;
    QString apiKey;
    QString regionId; // sent as LoginRegionId on create when set
    int requestTimeoutMs = 60000;

    static constexpr char DefaultEndpoint[] = "wuyingai.cn-shanghai.aliyuncs.com";

    // A bare host (optionally host:port) means HTTPS, like the SDKs; a full http(s) URL is taken
    // as it is (that is how the local sandbox is reached). Invalid input gives an invalid QUrl.
    static QUrl endpointFromString(const QString &text);
};

} // namespace agentbay::client
