// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>

#include <memory>
#include <vector>

class QJsonValue;

namespace agentbay::present {

// A JSON document as a collapsible tree: column 0 the key or index, column 1 the value (objects
// and arrays summarised as "{3 keys}" / "[10 items]"), column 2 the type. Read-only.
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonTreeModel)

public:
    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    // False (and an empty model) when the text is not JSON.
    bool setJson(const QString &text);
    QString errorString() const { return m_error; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key;
        QString value;
        QString type;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };

    static void build(Node *node, const QJsonValue &value);
    Node *nodeOf(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
    QString m_error;
};

} // namespace agentbay::present
