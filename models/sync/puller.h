#pragma once

#include "domain/objectschema.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>

class Connectivity;
class LightfieldClient;
class LocalStore;
class Sweep;
struct Page;

/**
 * Fills the LocalStore from the server: the pull half of SyncEngine, whose documentation
 * describes the behaviour as callers see it (what a complete sweep is, when a record counts as
 * deleted, the signals and their order).
 *
 * pull() numbers the sweep (StoreMeta::kSweepCounter: every row a page stores is stamped with
 * it), fetches the definitions of the types that have them, then starts one Sweep per type (a
 * Pager per query: a list the server will not page to its end is split with filters, see
 * Sweep). Each page is stored before its Pager sees it (storePage()); a page the store refuses
 * cancels that type's sweep. When a Sweep finishes complete, confirmDeletions() asks the server
 * about every cached record the sweep did not list, and finishSweep() counts the step done;
 * the last step ends the pull (finishPull()). A pull() asked for while one runs starts again
 * when it ends.
 *
 * Whatever the store refuses (the sweep's number, the definitions, a page, the deletion
 * check's reads and writes) makes the pull finish failed, so that a pull that says ok has
 * stored everything; the next pull does it again.
 *
 * A pull starts, and its sweeps start after the definitions, only while
 * Connectivity::canTalk(); every request's outcome is reported to the Connectivity.
 * cancelSweeps() stops the running sweeps (the pull then fails); SyncEngine calls it when
 * traffic stops.
 *
 * Borrows the store, the client and the connectivity, which must outlive it; GUI thread only.
 */
class Puller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Puller)

public:
    /** The members of SyncEngine::Options of the same names. */
    struct Settings
    {
        int pagesInFlight = 3;
        int maxSweepRecords = 100000;
        QStringList pullTypes;
        /** "Now" in UTC; default QDateTime::currentDateTimeUtc(). */
        std::function<QDateTime()> clock;
    };

    Puller(LocalStore &store, LightfieldClient &client, Connectivity &connectivity,
        Settings settings, QObject *parent = nullptr);
    ~Puller() override;

    /** Starts a pull unless one runs (then it runs again after) or there is no talking now. */
    void pull();
    bool isPulling() const { return m_pullRunning; }
    /** Cancels every running sweep; each finishes failed, and so does the pull. */
    void cancelSweeps();

    /** Rows of `objectType` the last (or running) pull could not decode. */
    int unreadableCount(const QString &objectType) const
    {
        return int(m_unreadable.value(objectType).size());
    }

Q_SIGNALS:
    /** As the SyncEngine signals of the same names. */
    void pullStarted();
    void pullProgress(int done, int total);
    void pullFinished(bool ok, const QString &error);
    void definitionsStored(const QString &objectType);
    void recordsStored(const QString &objectType, const QStringList &ids);
    void recordsRemoved(const QString &objectType, const QStringList &ids);
    void recordsUnreadable(const QString &objectType, int count);

private:
    QDateTime now() const;
    void startSweeps();
    bool storePage(const QString &type, const Page &page, qint64 sweep);
    /** The pull will finish failed with `error` (the first one given) when it ends. */
    void failPull(const QString &error);
    void finishSweep(const QString &type, bool ok, const QString &error);
    void confirmDeletions(const QString &type, qint64 sweep);
    void finishPull();

    LocalStore &m_store;
    QPointer<LightfieldClient> m_client;
    Connectivity &m_connectivity;
    Settings m_settings;
    bool m_pullRunning = false;
    bool m_pullAgain = false;
    bool m_pullOk = true;
    QString m_pullError;
    qint64 m_sweep = 0;
    int m_pendingSteps = 0; ///< definitions, sweeps and deletion checks still running
    QHash<QString, QPointer<Sweep>> m_sweeps;
    QHash<QString, ObjectSchema> m_schemas; ///< type → definitions of this pull (to split lists)
    QHash<QString, int> m_knownCaps; ///< type → an offset the server refused in an earlier pull
    QHash<QString, std::pair<int, int>> m_progress; ///< type → (received, expected)
    QHash<QString, QString> m_storeErrors; ///< type → why a page of its sweep was not stored
    QHash<QString, QSet<QString>> m_unreadable; ///< type → keys of undecodable rows this pull
};
