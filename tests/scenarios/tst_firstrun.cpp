// A rep's first run: the app starts with no workspace and no stored key, on a machine without a
// keychain, and shows the sign-in dialog. The rep signs in with the keyboard against the
// sandbox (one "Sign In" that checks the key and signs in), or cancels and finds the way back
// from the window; opens Settings with Ctrl+,; and watches the first sync fill the table without
// raw record ids and with one coherent status line.

#include "scenario.h"

#include "signindialog.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolButton>

namespace {

/** The visible sign-in dialog, or nullptr. */
SignInDialog *signInDialog(const Scenario::App &app)
{
    auto *dialog = app.window()->findChild<SignInDialog *>();
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

template<typename T> T *inDialog(QWidget *dialog, const char *name)
{
    return dialog->findChild<T *>(QString::fromLatin1(name));
}

/** The label naming `field` (its buddy), or nullptr. */
QLabel *labelFor(QWidget *dialog, QWidget *field)
{
    const QList<QLabel *> labels = dialog->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->buddy() == field)
            return label;
    }
    return nullptr;
}

QRect geometryIn(QWidget *widget, QWidget *top)
{
    return QRect(widget->mapTo(top, QPoint(0, 0)), widget->size());
}

/** Every table cell text that is a raw record id (acc_…, mem_…, con_…). */
QStringList rawIdCells(const Scenario::App &app)
{
    static const QRegularExpression rawId(QStringLiteral("\\b(acc|mem|con)_[A-Za-z0-9]"));
    QStringList found;
    QAbstractItemModel *model = app.table()->model();
    if (!model)
        return found;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            const QString text = model->index(row, column).data().toString();
            if (rawId.match(text).hasMatch())
                found << text;
        }
    }
    return found;
}

} // namespace

class TestFirstRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signInWithTheKeyboard()
    {
        Scenario::App app;
        QVERIFY(app.startSignedOut());
        QVERIFY(Scenario::waitFor([&] { return signInDialog(app) != nullptr; }, 10000));
        SignInDialog *dialog = signInDialog(app);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *keyEdit = inDialog<QLineEdit>(dialog, "apiKeyEdit");
        auto *notice = inDialog<QLabel>(dialog, "keyStorageNotice");
        QVERIFY(keyEdit && notice);

        // The key field's label is "API key" with K as its mnemonic, not a literal "&".
        QLabel *keyLabel = labelFor(dialog, keyEdit);
        QVERIFY2(keyLabel, "the API key field has no label with it as buddy");
        QCOMPARE(keyLabel->text(), QStringLiteral("API &key:"));

        // No keychain here: the notice says the key is kept for this session, and it sits
        // below the key field, not over it.
        QVERIFY2(notice->text().contains(QStringLiteral("this session only")),
            qPrintable(notice->text()));
        QVERIFY(notice->isVisible());
        const QRect keyRect = geometryIn(keyEdit, dialog);
        const QRect noticeRect = geometryIn(notice, dialog);
        QVERIFY2(!keyRect.intersects(noticeRect),
            qPrintable(QStringLiteral("key field %1,%2 %3x%4 overlaps notice %5,%6 %7x%8")
                           .arg(keyRect.x())
                           .arg(keyRect.y())
                           .arg(keyRect.width())
                           .arg(keyRect.height())
                           .arg(noticeRect.x())
                           .arg(noticeRect.y())
                           .arg(noticeRect.width())
                           .arg(noticeRect.height())));
        QVERIFY(noticeRect.top() >= keyRect.bottom());
        QVERIFY(notice->height() >= notice->heightForWidth(notice->width()));

        // A wrong key first: one Sign In checks it, says why inline, and keeps the dialog
        // and the key for the rep to fix.
        QTRY_COMPARE(QApplication::focusWidget(), keyEdit);
        QTest::keyClicks(keyEdit, QStringLiteral("sk_lf_wrong"));
        QTest::keyClick(dialog, Qt::Key_V, Qt::AltModifier); // Advanced
        auto *urlEdit = inDialog<QLineEdit>(dialog, "baseUrlEdit");
        QTRY_VERIFY(urlEdit->isVisible());
        QTest::keyClick(dialog, Qt::Key_A, Qt::AltModifier); // Server address
        QTRY_COMPARE(QApplication::focusWidget(), urlEdit);
        QTest::keyClicks(urlEdit, app.baseUrl().toString());
        QTest::keyClick(urlEdit, Qt::Key_Return);
        auto *result = inDialog<QLabel>(dialog, "resultLabel");
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("didn't accept")), 10000);
        QVERIFY(dialog->isVisible());
        QCOMPARE(keyEdit->text(), QStringLiteral("sk_lf_wrong"));

        // Fixed: Alt+K back to the key, the right key, Enter: signed in, in one step.
        QTest::keyClick(dialog, Qt::Key_K, Qt::AltModifier);
        QTRY_COMPARE(QApplication::focusWidget(), keyEdit);
        keyEdit->selectAll();
        QTest::keyClicks(keyEdit, Scenario::kKey);
        // The dialog deletes itself once closed: watch it through a guarded pointer.
        const QPointer<SignInDialog> closing(dialog);
        QTest::keyClick(keyEdit, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!closing || !closing->isVisible(), 10000);

        const int expected = int(app.server->store().ids(Scenario::kDeal).size());
        QVERIFY(Scenario::waitFor(
            [&] { return app.table()->model() && app.table()->model()->rowCount() == expected; },
            30000));
        QVERIFY(app.waitForIdle());
        QCOMPARE(app.window()->windowTitle(), QStringLiteral("127.0.0.1"));
        QVERIFY(app.find<QAction>(QStringLiteral("signOutAction"))->isVisible());

        // The key went to the (memory) key store only: not into the settings.
        QSettings settings;
        settings.sync();
        const QStringList keys = settings.allKeys();
        for (const QString &key : keys)
            QVERIFY2(!settings.value(key).toString().contains(Scenario::kKey), qPrintable(key));
        QFile file(settings.fileName());
        if (file.open(QIODevice::ReadOnly))
            QVERIFY(!file.readAll().contains(Scenario::kKey.toUtf8()));
    }

    void cancelLeavesAWayBackToSignIn()
    {
        Scenario::App app;
        QVERIFY(app.startSignedOut());
        QVERIFY(Scenario::waitFor([&] { return signInDialog(app) != nullptr; }, 10000));
        SignInDialog *dialog = signInDialog(app);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(signInDialog(app) == nullptr);

        // The window says it is signed out and offers Sign In… and the demo, focused for the
        // keyboard; File ▸ Sign In… is there too.
        QCOMPARE(app.window()->windowTitle(), QStringLiteral("Not signed in"));
        auto *signIn = app.find<QPushButton>(QStringLiteral("signedOutSignInButton"));
        auto *demo = app.find<QPushButton>(QStringLiteral("signedOutDemoButton"));
        QVERIFY2(signIn, "no Sign In button in the window after Cancel");
        QVERIFY(demo);
        QTRY_VERIFY(signIn->isVisible());
        QVERIFY(demo->isVisible());
        auto *fileSignIn = app.find<QAction>(QStringLiteral("signInAction"));
        QVERIFY(fileSignIn);
        QVERIFY(fileSignIn->isVisible() && fileSignIn->isEnabled());
        QVERIFY(!app.find<QAction>(QStringLiteral("signOutAction"))->isVisible());
        QTRY_COMPARE(QApplication::focusWidget(), signIn);

        QTest::keyClick(signIn, Qt::Key_Space);
        QVERIFY(Scenario::waitFor([&] { return signInDialog(app) != nullptr; }, 10000));

        // Cancel again, and the mnemonic of the window's button brings it back too.
        QTest::keyClick(signInDialog(app), Qt::Key_Escape);
        QTRY_VERIFY(signInDialog(app) == nullptr);
        QTest::keyClick(app.window(), Qt::Key_I, Qt::AltModifier);
        QVERIFY(Scenario::waitFor([&] { return signInDialog(app) != nullptr; }, 10000));
    }

    void settingsOpenWithCtrlComma()
    {
        Scenario::App app;
        QVERIFY(app.start());
        QCOMPARE(app.window()->windowTitle(), QStringLiteral("Test workspace"));
        app.table()->setFocus();
        QTest::keyClick(app.table(), Qt::Key_Comma, Qt::ControlModifier);
        QDialog *settings = nullptr;
        QVERIFY(Scenario::waitFor([&] {
            settings = app.find<QDialog>(QStringLiteral("settingsDialog"));
            return settings && settings->isVisible();
        }));
        // What the app already supports: where it syncs, where it keeps its data, offline.
        auto *server = settings->findChild<QLabel *>(QStringLiteral("serverAddress"));
        QVERIFY(server);
        QCOMPARE(server->text(), app.baseUrl().toString());
        auto *folder = settings->findChild<QLabel *>(QStringLiteral("dataFolder"));
        QVERIFY(folder);
        QVERIFY2(folder->text().contains(QDir::toNativeSeparators(app.dir.path())),
            qPrintable(folder->text()));
        auto *size = settings->findChild<QLabel *>(QStringLiteral("dataFolderSize"));
        QVERIFY(size);
        QVERIFY2(size->text().contains(QRegularExpression(QStringLiteral("\\d"))),
            qPrintable(size->text()));
        QVERIFY(settings->findChild<QPushButton *>(QStringLiteral("settingsSignOutButton")));

        // Work offline there is the same switch as Sync ▸ Work Offline.
        auto *offline = settings->findChild<QAbstractButton *>(QStringLiteral("workOfflineCheck"));
        QVERIFY(offline);
        QVERIFY(!offline->isChecked());
        offline->setFocus();
        QTest::keyClick(offline, Qt::Key_Space);
        QVERIFY(offline->isChecked());
        QVERIFY(app.find<QAction>(QStringLiteral("workOfflineAction"))->isChecked());
        QTRY_VERIFY(app.statusText().contains(QStringLiteral("Working offline")));

        // Closed, the dialog deletes itself: watched through a guarded pointer.
        const QPointer<QDialog> closing(settings);
        QTest::keyClick(settings, Qt::Key_Escape);
        QTRY_VERIFY(!closing || !closing->isVisible());
    }

    void firstSyncShowsNamesAndOneStatus()
    {
        Scenario::App app;
        Scenario::App::Options options;
        options.opportunities = 400;
        options.waitForSync = false;
        options.config.faults.latencyMs = 150;
        QVERIFY(app.start(options));

        // While the first sync runs: never a raw id in the table, and one line of status.
        QStringList rawIds;
        QStringList statuses;
        bool sawSyncing = false;
        const int expected = int(app.server->store().ids(Scenario::kDeal).size());
        QVERIFY(Scenario::waitFor(
            [&] {
                rawIds << rawIdCells(app);
                const QString status = app.statusText();
                if (statuses.isEmpty() || statuses.constLast() != status)
                    statuses << status;
                if (status.contains(QStringLiteral("Syncing deals…")))
                    sawSyncing = true;
                return app.table()->model() && app.table()->model()->rowCount() == expected
                    && app.statusText().contains(QStringLiteral("synced"));
            },
            60000));
        rawIds.removeDuplicates();
        QVERIFY2(rawIds.isEmpty(), qPrintable(rawIds.mid(0, 5).join(QStringLiteral(" | "))));
        QVERIFY2(sawSyncing, qPrintable(statuses.join(QStringLiteral(" || "))));
        for (const QString &status : std::as_const(statuses)) {
            QVERIFY2(!status.contains(QStringLiteral("not synced yet")), qPrintable(status));
            QVERIFY2(!status.contains(QStringLiteral("sweep")), qPrintable(status));
            if (status.contains(QStringLiteral("Syncing deals…")))
                QVERIFY2(!status.contains(QStringLiteral("Connecting")), qPrintable(status));
        }
        QTRY_VERIFY(app.statusText().contains(
            QRegularExpression(QStringLiteral("● Online · synced \\d{1,2}:\\d\\d"))));
    }
};

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
