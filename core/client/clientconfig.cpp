// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientconfig.h"

namespace agentbay::client {

QUrl ClientConfig::endpointFromString(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    QUrl url;
    if (trimmed.contains(QLatin1String("://")))
        url = QUrl(trimmed, QUrl::StrictMode);
    else
        url = QUrl(QStringLiteral("https://") + trimmed, QUrl::StrictMode);
    const bool schemeOk = url.scheme() == QLatin1String("https")
                          || url.scheme() == QLatin1String("http");
    if (!url.isValid() || !schemeOk || url.host().isEmpty())
        return {};
    url.setPath(QStringLiteral("/"));
    return url;
}

} // namespace agentbay::client
