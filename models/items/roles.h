#pragma once

#include <Qt>

namespace tl {

// Item roles every table model of ours answers, so one sort proxy and one
// CSV exporter serve them all.
enum ItemRole {
    SortRole = Qt::UserRole,       // exact value to sort by (nano-dollars, counts, text)
    ExportRole = Qt::UserRole + 1, // plain CSV value: a number (no separators) or text
    IdRole = Qt::UserRole + 2,     // a call's id where a row is one call
};

} // namespace tl
