#pragma once

#include "dimensiondictionary.h"
#include "pricing/pricecatalog.h"
#include "sqlitedb.h"

#include <functional>
#include <memory>
#include <string>

namespace tl {

// One SQLite file = one workspace: calls, rollups, the price catalog in
// force, and the dictionary of names. Owns its connection; use one Workspace
// per thread.
class Workspace
{
public:
    enum class OpenMode { OpenExisting, CreateIfMissing };

    // nullptr and a one-line reason when the file is missing (OpenExisting),
    // not a tokenledger workspace, or written by a newer program. In those
    // cases the file is not modified.
    static std::unique_ptr<Workspace> open(const std::string &path, OpenMode mode,
                                           std::string *error);

    const std::string &path() const { return m_path; }
    SqliteDb &db() { return m_db; }
    DimensionDictionary &dims() { return m_dims; }
    const PriceCatalog &catalog() const { return m_catalog; }

    using Progress = std::function<bool(int64_t done, int64_t total)>; // false = cancel
    // Stores a new catalog and recomputes every call's computed cost and the
    // rollups, in one transaction. Returns false (and changes nothing) when
    // cancelled or on error.
    bool replaceCatalog(const PriceCatalog &catalog, const Progress &progress, std::string *error);

    // Reads a catalog file (ours or LiteLLM's) and replaces the catalog with
    // it, as replaceCatalog. `entries` receives the number of entries read.
    bool replaceCatalogFromFile(const std::string &path, const Progress &progress,
                                std::string *error, size_t *entries = nullptr);

    // Drops and refills every rollup from the calls table.
    void rebuildRollups();

    std::string metaValue(const std::string &key) const;
    void setMetaValue(const std::string &key, const std::string &value);

private:
    Workspace(std::string path, SqliteDb db);
    // False (with *error) when the stored catalog cannot be read: it is
    // never replaced by the built-in one then.
    bool loadCatalog(std::string *error);
    // PRAGMA quick_check, once per machine and user for a file that was not
    // created here; false with *error naming the file when it is damaged.
    bool checkIntegrityOnce(bool created, std::string *error);

    std::string m_path;
    SqliteDb m_db;
    DimensionDictionary m_dims;
    PriceCatalog m_catalog;
};

} // namespace tl
