#pragma once

#include "database.h"
#include "dimensiondictionary.h"
#include "pricing/pricecatalog.h"

#include <functional>
#include <memory>
#include <string>

namespace tl {

// One workspace: calls, rollups, the price catalog in force, and the
// dictionary of names — in an SQLite file of one's own or on a team's
// PostgreSQL server (a libpq URI). Owns its connection; use one Workspace
// per thread. Nothing above models/store knows which engine it is.
class Workspace
{
public:
    enum class OpenMode { OpenExisting, CreateIfMissing };

    // nullptr and a one-line reason when the file (or the server's ledger)
    // is missing (OpenExisting), not a tokenledger workspace, written by a
    // newer program, or the server cannot be reached. In those cases
    // nothing is modified. `target` is a file path or a libpq URI.
    // *kind, when given, says which way it failed (the app asks for a
    // password on Password, offers to create on Missing).
    enum class Failure { None, Missing, Password, Other };
    static std::unique_ptr<Workspace> open(const std::string &target, OpenMode mode,
                                           std::string *error, Failure *kind = nullptr);

    // A password typed for a server (the app's prompt): kept in this
    // process's memory for every connection to `uri`, never stored.
    static void rememberServerPassword(const std::string &uri, const std::string &password);
    // Another connection to this workspace, reading the snapshot of the
    // read transaction this one holds open (it must be open, and stay open
    // until the reader has begun): work split over two threads then reads
    // the same commits. nullptr where the engine cannot share a snapshot
    // (a file) or the second connection fails; the caller then does the
    // work on this one.
    std::unique_ptr<Workspace> openReader();

    // "ledger on host:port" for a server, the file's name for a file.
    static std::string shortName(const std::string &target);

    // The file or the URI it was opened with (never with a password).
    const std::string &path() const { return m_path; }
    bool isServer() const { return m_db->engine() == Engine::Postgres; }
    Database &db() { return *m_db; }
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

    // Reads the stored catalog again (after a copy wrote another one).
    bool reloadCatalog(std::string *error) { return loadCatalog(error); }

    std::string metaValue(const std::string &key) const;
    void setMetaValue(const std::string &key, const std::string &value);

private:
    Workspace(std::string path, std::unique_ptr<Database> db);
    static std::unique_ptr<Workspace> openFile(const std::string &path, OpenMode mode,
                                               std::string *error);
    static std::unique_ptr<Workspace> openServer(const std::string &uri, OpenMode mode,
                                                 std::string *error, Failure *kind);
    // False (with *error) when the stored catalog cannot be read: it is
    // never replaced by the built-in one then.
    bool loadCatalog(std::string *error);
    // PRAGMA quick_check, once per machine and user for a file that was not
    // created here; false with *error naming the file when it is damaged.
    bool checkIntegrityOnce(bool created, std::string *error);

    std::string m_path;
    std::unique_ptr<Database> m_db;
    DimensionDictionary m_dims;
    PriceCatalog m_catalog;
};

} // namespace tl
