// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace agentbay::present {

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{}

JsonTreeModel::~JsonTreeModel() = default;

bool JsonTreeModel::setJson(const QString &text)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_error.clear();
    QJsonParseError error{};
    // Wrapped in an array so scalars ("42", "null") are documents too.
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8()
                                                                   + QByteArray("]"),
                                                           &error);
    const bool ok = error.error == QJsonParseError::NoError && document.array().size() == 1;
    if (ok) {
        auto top = std::make_unique<Node>();
        top->key = tr("(root)");
        top->parent = m_root.get();
        build(top.get(), document.array().at(0));
        m_root->children.push_back(std::move(top));
    } else {
        m_error = error.error == QJsonParseError::NoError ? tr("more than one JSON value")
                                                          : error.errorString();
    }
    endResetModel();
    return ok;
}

void JsonTreeModel::build(Node *node, const QJsonValue &value)
{
    const auto addChild = [node](const QString &key, const QJsonValue &child) {
        auto item = std::make_unique<Node>();
        item->key = key;
        item->parent = node;
        item->row = static_cast<int>(node->children.size());
        build(item.get(), child);
        node->children.push_back(std::move(item));
    };
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        node->type = QStringLiteral("object");
        node->value = object.size() == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(object.size());
        for (auto it = object.begin(); it != object.end(); ++it)
            addChild(it.key(), it.value());
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        node->type = QStringLiteral("array");
        node->value = array.size() == 1 ? tr("[1 item]") : tr("[%1 items]").arg(array.size());
        for (qsizetype i = 0; i < array.size(); ++i)
            addChild(QString::number(i), array.at(i));
        break;
    }
    case QJsonValue::String:
        node->type = QStringLiteral("string");
        node->value = value.toString();
        break;
    case QJsonValue::Double:
        node->type = QStringLiteral("number");
        node->value = QString::number(value.toDouble(), 'g', 17);
        break;
    case QJsonValue::Bool:
        node->type = QStringLiteral("boolean");
        node->value = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        node->type = QStringLiteral("null");
        node->value = QStringLiteral("null");
        break;
    }
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (row < 0 || column < 0 || column >= 3 || row >= static_cast<int>(node->children.size()))
        return {};
    return createIndex(row, column, node->children[static_cast<size_t>(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeOf(child);
    if (!child.isValid() || node->parent == m_root.get() || !node->parent)
        return {};
    return createIndex(node->parent->row, 0, node->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return 3;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Node *node = nodeOf(index);
    switch (index.column()) {
    case 0:
        return node->key;
    case 1:
        return node->value;
    default:
        return node->type;
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case 0:
        return tr("Key");
    case 1:
        return tr("Value");
    default:
        return tr("Type");
    }
}

} // namespace agentbay::present
