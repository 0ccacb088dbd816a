#pragma once

// The scenario harness: the real composition root (AppController: main window, workspace
// session, editing wiring) against the in-process sandbox on loopback, with a fresh data folder
// and fresh settings. A scenario drives the window only through QTest key and mouse events on
// real widgets, and asserts on what the window shows and on what the sandbox received (its
// writes log and its store). Reading widgets and the sandbox is fine; calling into controllers
// to make something happen is not: that is what the component tests do.

#include "appcontroller.h"
#include "itemmodels/opportunityroles.h"
#include "mainwindow.h"

#include "itemmodels/namedirectory.h"
#include "sandboxseed.h"
#include "sandboxserver.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <variant>

namespace Scenario {

inline const QString kDeal = QStringLiteral("opportunity");
inline const QString kKey = QStringLiteral("sk_lf_demo");

/** Runs the event loop until `done()` or `timeoutMs` (QTest::qWait slices; no sleeping). */
template<typename Done> bool waitFor(Done done, int timeoutMs = 20000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QTest::qWait(10);
    }
    return true;
}

/** Whether `widget` is `ancestor` or inside it. */
inline bool within(const QWidget *widget, const QWidget *ancestor)
{
    return widget && ancestor && (widget == ancestor || ancestor->isAncestorOf(widget));
}

/**
 * Presses and releases `key` where the window system would deliver it: the open popup (a
 * completer's list, a menu) while one is shown, else the focused window, whose shortcuts and
 * focus widget then see it. Sending to a widget directly would skip the popup's own handling.
 * Pending window-system events (a popup's activation) are let through first, as they would be
 * in the time between a person's keystrokes.
 */
inline void key(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QTest::qWait(1);
    // The offscreen platform may leave a closed popup as the focus window: the active window
    // is where a person's keys go once the popup is gone.
    QWidget *active = QApplication::activePopupWidget() ? nullptr : QApplication::activeWindow();
    if (active && active->windowHandle())
        QTest::keyClick(active->windowHandle(), key, modifiers);
    else
        QTest::keyClick(static_cast<QWidget *>(nullptr), key, modifiers);
    QTest::qWait(1);
}

/**
 * Saves a PNG of `widget` (a window or a dialog) as NAME.png in the folder named by
 * LIGHTFIELD_SCENARIO_SHOTS, when it is set, so that a scenario's windows can be looked at on
 * each screen size (README: Scenarios and screenshots). Does nothing otherwise.
 */
inline void shot(QWidget *widget, const QString &name)
{
    const QString folder = qEnvironmentVariable("LIGHTFIELD_SCENARIO_SHOTS");
    if (folder.isEmpty() || !widget)
        return;
    QDir().mkpath(folder);
    widget->grab().save(QDir(folder).filePath(name + QStringLiteral(".png")));
}

/** The test-mode settings and data folders, emptied: every scenario starts as a first run. */
inline void resetUserState()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QSettings().sync();
}

/**
 * A machine without a keychain (no Secret Service on D-Bus): every call answers Unavailable,
 * from the event loop as QtKeychain does, so SecretStore keeps keys in memory for the run. The
 * scenarios use it so that no run ever reads or writes the user's real keychain.
 */
class NoKeychainBackend final : public SecretBackend
{
public:
    void read(const QString &, const QString &, Callback done) override { later(std::move(done)); }
    void write(const QString &, const QString &, const QString &, Callback done) override
    {
        later(std::move(done));
    }
    void remove(const QString &, const QString &, Callback done) override
    {
        later(std::move(done));
    }

private:
    static void later(Callback done)
    {
        QTimer::singleShot(0, qApp, [done = std::move(done)] {
            done({SecretBackend::Status::Unavailable, {}, QStringLiteral("no keychain (test)")});
        });
    }
};

/**
 * One app against one sandbox. start() seeds the sandbox (the demo's seed by default), opens the
 * workspace in a real AppController, shows the window at `size` and waits for the first sync to
 * bring every deal into the table.
 */
struct App
{
    QTemporaryDir dir;
    std::unique_ptr<SandboxServer> server;
    std::unique_ptr<AppController> controller;
    quint16 port = 0;

    struct Options
    {
        int opportunities = 60;
        quint64 seed = 7;
        QSize size = QSize(1600, 1000);
        SandboxConfig config = {};
        bool waitForSync = true;
        /// The app's sync clock (AppController::Options::clock); the real one when empty.
        std::function<QDateTime()> clock;
    };

    /// The sync clock the app is started with (from Options::clock).
    std::function<QDateTime()> clock;

    ~App()
    {
        controller.reset();
        server.reset();
    }

    bool start() { return start(Options()); }

    /**
     * A first run: the sandbox is seeded and listening, but the app is started as a rep would
     * start it the first time — no workspace given, no key stored (and no keychain: memory
     * mode) — so it shows the sign-in dialog. Nothing is waited for but the window.
     */
    bool startSignedOut() { return startSignedOut(Options()); }

    bool startSignedOut(Options options)
    {
        if (!startSandbox(options))
            return false;
        AppController::Options app;
        app.dataRoot = dir.path();
        app.secretBackend = [] { return std::make_unique<NoKeychainBackend>(); };
        return startApp(app, options.size, false);
    }

    bool start(Options options)
    {
        if (!startSandbox(options) || !startApp(workspaceOptions(), options.size, true))
            return false;
        if (!options.waitForSync)
            return true;
        const int expected = int(server->store().ids(kDeal).size());
        return waitFor([this, expected] { return table()->model()->rowCount() == expected; }, 30000)
            && waitForIdle();
    }

    /**
     * Opens the app again on the same data folder and sandbox after it was closed
     * (controller.reset()), e.g. once a test prepared the cache files in between. Waits for the
     * window to be exposed and for every deal in the table, not for the window to be active:
     * a notice the app opens at start may hold the focus.
     */
    bool reopen(QSize size = QSize(1600, 1000))
    {
        controller.reset();
        if (!startApp(workspaceOptions(), size, false))
            return false;
        const int expected = int(server->store().ids(kDeal).size());
        return waitFor([this, expected] { return table()->model()->rowCount() == expected; }, 30000)
            && waitForIdle();
    }

    /** The workspace's cache file under the data folder (empty before the first start). */
    QString cachePath() const
    {
        QDirIterator it(
            dir.path(), {QStringLiteral("*.sqlite")}, QDir::Files, QDirIterator::Subdirectories);
        return it.hasNext() ? it.next() : QString();
    }

    /** Fresh settings, and the sandbox seeded and listening on a free loopback port. */
    bool startSandbox(const Options &options)
    {
        resetUserState();
        clock = options.clock;
        server = std::make_unique<SandboxServer>(options.config);
        seedSandbox(server->store(), {options.seed, options.opportunities});
        port = server->listenLoopback(0);
        return port != 0;
    }

    /** The app opening the sandbox's workspace in this data folder, without any keychain. */
    AppController::Options workspaceOptions() const
    {
        AppController::Options app;
        app.workspace = AppController::Options::Workspace {};
        app.workspace->baseUrl = baseUrl();
        app.workspace->apiKey = kKey;
        app.workspace->dataRoot = dir.path();
        app.secretBackend = [] { return std::make_unique<NoKeychainBackend>(); };
        app.clock = clock;
        return app;
    }

    /** Starts the app and shows its window at `size` (as it opens when invalid). */
    bool startApp(const AppController::Options &app, QSize size, bool waitActive)
    {
        controller = std::make_unique<AppController>(app);
        controller->start();
        MainWindow *w = window();
        if (!w)
            return false;
        if (size.isValid())
            w->resize(size);
        if (!QTest::qWaitForWindowExposed(w))
            return false;
        w->activateWindow();
        return !waitActive || QTest::qWaitForWindowActive(w);
    }

    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); }

    MainWindow *window() const { return controller ? controller->window() : nullptr; }
    QTableView *table() const { return window()->dealsView(); }

    template<typename T> T *find(const QString &objectName) const
    {
        return window()->findChild<T *>(objectName);
    }

    /** Lets queued sends and repaints happen: nothing new in the writes log for a short while. */
    bool waitForIdle(int quietMs = 300, int timeoutMs = 20000)
    {
        QElapsedTimer timer;
        timer.start();
        qsizetype last = -1;
        QElapsedTimer quiet;
        quiet.start();
        while (timer.elapsed() < timeoutMs) {
            QTest::qWait(20);
            const qsizetype now = qsizetype(server->requestCount());
            if (now != last) {
                last = now;
                quiet.restart();
            } else if (quiet.elapsed() >= quietMs) {
                return true;
            }
        }
        return false;
    }

    /** The API writes the sandbox received, oldest first ({method, path, body, …}). */
    QList<QJsonObject> writes() const { return server->writeLog(); }

    /** The bodies of the writes to one deal, oldest first. */
    QList<QJsonObject> writesTo(const QString &recordId) const
    {
        QList<QJsonObject> bodies;
        const QList<QJsonObject> all = writes();
        for (const QJsonObject &write : all) {
            if (write.value(QStringLiteral("path"))
                    .toString()
                    .endsWith(QLatin1Char('/') + recordId))
                bodies << write.value(QStringLiteral("body")).toObject();
        }
        return bodies;
    }

    /** The server's copy of a deal (read shape). */
    QJsonObject serverDeal(const QString &recordId) const
    {
        return server->store().retrieve(kDeal, recordId).value_or(QJsonObject());
    }

    /** A colleague changes one field of a deal on the server (advances its updatedAt). */
    bool colleagueEdit(const QString &recordId, const QString &key, const QJsonValue &value)
    {
        const QJsonObject body {{QStringLiteral("fields"), QJsonObject {{key, value}}}};
        const auto result = server->store().update(kDeal, recordId, body);
        return std::holds_alternative<QJsonObject>(result);
    }

    /** A server field's value (the `value` of the read shape). */
    QJsonValue serverField(const QString &recordId, const QString &key) const
    {
        return serverDeal(recordId)
            .value(QStringLiteral("fields"))
            .toObject()
            .value(key)
            .toObject()
            .value(QStringLiteral("value"));
    }

    /**
     * Quits the app as the rep would (the window closes, the session ends) and starts it again
     * on the same data folder and settings: what was queued must still be there.
     */
    bool restart(QSize size = QSize(1600, 1000))
    {
        window()->close();
        controller.reset();
        return startApp(workspaceOptions(), size, true);
    }

    /** Opens a menu of the menu bar with Alt+mnemonic and triggers an entry by its mnemonic,
     *  as a rep does with the keyboard. */
    void menuKey(Qt::Key menuMnemonic, Qt::Key entryMnemonic) const
    {
        QTest::keyClick(focus() ? focus() : window(), menuMnemonic, Qt::AltModifier);
        QWidget *popup = QApplication::activePopupWidget();
        if (popup)
            QTest::keyClick(popup, entryMnemonic);
    }

    /** The id of the server's deal called `name`; empty when none is. Names can repeat: where
     *  the rep has a deal selected, currentId() says which one it is. */
    QString dealIdByName(const QString &name) const
    {
        for (const QString &id : server->store().ids(kDeal)) {
            const QJsonObject fields = serverDeal(id).value(QStringLiteral("fields")).toObject();
            if (fields.value(QStringLiteral("$name"))
                    .toObject()
                    .value(QStringLiteral("value"))
                    .toString()
                == name)
                return id;
        }
        return QString();
    }

    /** The id of the server's record of `objectType` whose display name is `name`, or empty. */
    QString idOfName(const QString &objectType, const QString &name) const
    {
        for (const QString &id : server->store().ids(objectType)) {
            if (NameDirectory::nameOf(
                    server->store().retrieve(objectType, id).value_or(QJsonObject()))
                == name)
                return id;
        }
        return QString();
    }

    /** The text of the table's cell in view row `row` under the column titled `title`. */
    QString cellText(int row, const QString &title) const
    {
        QAbstractItemModel *model = table()->model();
        for (int column = 0; column < model->columnCount(); ++column) {
            if (model->headerData(column, Qt::Horizontal).toString() == title)
                return model->index(row, column).data().toString();
        }
        return QString();
    }

    /** The view row showing the deal named `name`, or -1. */
    int rowOfName(const QString &name) const
    {
        QAbstractItemModel *model = table()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (cellText(row, QStringLiteral("Name")) == name)
                return row;
        }
        return -1;
    }

    /** The name of the deal in the table's current row. */
    QString currentName() const
    {
        const QModelIndex current = table()->currentIndex();
        return current.isValid() ? cellText(current.row(), QStringLiteral("Name")) : QString();
    }

    /** The record id of the deal in the table's current row (what the rep has selected). */
    QString currentId() const
    {
        const QModelIndex current = table()->currentIndex();
        return current.isValid() ? current.data(OpportunityRoles::IdRole).toString() : QString();
    }

    /** Clicks the centre of a table cell, as a rep would. */
    void clickCell(int row, int column = 0, Qt::KeyboardModifiers modifiers = {}) const
    {
        const QRect rect = table()->visualRect(table()->model()->index(row, column));
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, modifiers, rect.center());
    }

    /** The widget with keyboard focus (where a real key press goes). */
    static QWidget *focus() { return QApplication::focusWidget(); }

    /** Presses a key as the rep would: into the widget that has focus (shortcuts included). */
    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier) const
    {
        QWidget *target = focus() ? focus() : window();
        QTest::keyClick(target, key, modifiers);
    }

    /** Types text into the widget that has focus. */
    void type(const QString &text) const
    {
        for (const QChar ch : text) {
            QWidget *target = focus() ? focus() : window();
            if (ch.unicode() < 128) {
                QTest::keyClick(target, char(ch.unicode()));
            } else {
                // Keys beyond ASCII (Å, é, …) arrive as text, as an input method sends them.
                QTest::sendKeyEvent(QTest::Press, target, Qt::Key_unknown, QString(ch), {});
                QTest::sendKeyEvent(QTest::Release, target, Qt::Key_unknown, QString(ch), {});
            }
        }
    }

    static bool within(const QWidget *widget, const QWidget *ancestor)
    {
        return Scenario::within(widget, ancestor);
    }

    /** Whether a cell of the table is being edited in place (its editor has the keyboard). */
    bool isEditingInline() const
    {
        // The editor sits in the table's viewport, or in its frozen Name column's.
        QWidget *focused = focus();
        return focused && within(focused, table()) && !qobject_cast<QAbstractItemView *>(focused);
    }

    /** The table's selected rows (view rows, ascending). */
    QList<int> selectedRows() const
    {
        QList<int> rows;
        if (!table()->selectionModel())
            return rows;
        for (const QModelIndex &index : table()->selectionModel()->selectedRows())
            rows << index.row();
        std::sort(rows.begin(), rows.end());
        return rows;
    }

    /**
     * Chooses the menu bar item whose action has objectName `actionName` with two mouse clicks
     * (its menu's title, then the item), as a rep would. False when it is not in a menu of the
     * menu bar or the menu did not open.
     */
    bool chooseMenuItem(const QString &actionName) const
    {
        QMenuBar *bar = window()->menuBar();
        auto *action = window()->findChild<QAction *>(actionName);
        if (!action)
            return false;
        const QList<QAction *> titles = bar->actions();
        for (QAction *title : titles) {
            QMenu *menu = title->menu();
            if (!menu || !menu->actions().contains(action))
                continue;
            QTest::mouseClick(bar, Qt::LeftButton, {}, bar->actionGeometry(title).center());
            if (!waitFor([menu] { return menu->isVisible(); }, 5000))
                return false;
            QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
            return waitFor([menu] { return !menu->isVisible(); }, 5000);
        }
        return false;
    }

    /** The text the status bar shows right now (its message, or its permanent labels). */
    QString statusText() const
    {
        QString text = window()->statusBar()->currentMessage();
        const QList<QLabel *> labels = window()->statusBar()->findChildren<QLabel *>();
        for (QLabel *label : labels) {
            if (label->isVisible())
                text += QLatin1Char('\n') + label->text();
        }
        return text;
    }
};

/**
 * A sync clock a scenario moves on ("three hours later"): the real time plus an offset. Copies
 * share the offset, so the app started with options() sees every move.
 */
struct MovableClock
{
    std::shared_ptr<qint64> offsetMs = std::make_shared<qint64>(0);

    void moveTo(qint64 ms) const { *offsetMs = ms; }
    /** Options for App::start() on `opportunities` deals, with this clock as the sync clock. */
    App::Options options(int opportunities) const
    {
        App::Options options;
        options.opportunities = opportunities;
        options.clock
            = [offset = offsetMs] { return QDateTime::currentDateTimeUtc().addMSecs(*offset); };
        return options;
    }
};

/** The write bodies the sandbox received, one compact JSON line each: a failure message. */
inline QString describeWrites(const QList<QJsonObject> &writes)
{
    QStringList lines;
    for (const QJsonObject &write : writes)
        lines << QString::fromUtf8(QJsonDocument(write).toJson(QJsonDocument::Compact));
    return lines.join(QLatin1Char('\n'));
}

} // namespace Scenario
