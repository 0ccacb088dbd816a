// Layout as a rep sees it: the window fits the screen at any scale factor, the deal form is one
// column that never needs to scroll sideways, and the columns a rep reads in every row (name,
// stage, amount) show their whole text. Run at 1024×700 and 1600×1000, and (a second ctest
// entry) at QT_SCALE_FACTOR=1.5.

#include "scenario.h"

#include "form/dealform.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>

using namespace Scenario;

class TestLayout : public QObject
{
    Q_OBJECT

private:
    /** Widgets inside the form's scroll area that reach past its viewport's right edge. */
    static QStringList overflowing(const DealForm *form)
    {
        QStringList names;
        const auto *scroll = form->findChild<QScrollArea *>(QStringLiteral("fields"));
        if (!scroll || !scroll->widget())
            return {QStringLiteral("(no fields)")};
        const QWidget *viewport = scroll->viewport();
        if (scroll->widget()->width() > viewport->width()) {
            names << QStringLiteral("content %1 > viewport %2")
                         .arg(scroll->widget()->width())
                         .arg(viewport->width());
        }
        const QList<QWidget *> widgets = scroll->widget()->findChildren<QWidget *>();
        for (const QWidget *widget : widgets) {
            if (!widget->isVisible() || widget->isWindow())
                continue;
            const int right = widget->mapTo(viewport, QPoint(widget->width(), 0)).x();
            if (right > viewport->width() + 1) {
                names << QStringLiteral("%1 (%2) right edge %3 > %4")
                             .arg(widget->objectName(),
                                 QString::fromLatin1(widget->metaObject()->className()))
                             .arg(right)
                             .arg(viewport->width());
            }
        }
        return names;
    }

private Q_SLOTS:
    void formFitsItsPane_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x700") << QSize(1024, 700);
        QTest::newRow("1600x1000") << QSize(1600, 1000);
    }

    void formFitsItsPane()
    {
        QFETCH(QSize, size);
        App app;
        App::Options options;
        options.size = size;
        QVERIFY(app.start(options));
        auto *form = app.find<DealForm>(QStringLiteral("dealForm"));
        QVERIFY(form);
        for (int row = 0; row < 6; ++row) {
            app.clickCell(row);
            QTRY_VERIFY(form->isVisible() && form->baseRecord().isValid());
            QTest::qWait(50); // the layout settles on the next event loop turns
            const auto *scroll = form->findChild<QScrollArea *>(QStringLiteral("fields"));
            QVERIFY(!scroll->horizontalScrollBar()->isVisible());
            const QStringList wide = overflowing(form);
            QVERIFY2(wide.isEmpty(),
                qPrintable(
                    app.currentName() + QStringLiteral(": ") + wide.join(QStringLiteral("; "))));
        }
    }

    void keyColumnsShowTheirWholeText()
    {
        App app;
        QVERIFY(app.start()); // 1600×1000
        QTableView *table = app.table();
        QAbstractItemModel *model = table->model();
        const QFontMetrics metrics(table->font());
        // Text margins of a cell (as QStyledItemDelegate lays it out) on both sides.
        const int margins
            = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
        int checked = 0;
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 10000);
        QTest::qWait(400); // the columns are fitted a moment after the rows arrive
        for (const QString &title :
            {QStringLiteral("Name"), QStringLiteral("Stage"), QStringLiteral("Amount")}) {
            int column = -1;
            for (int c = 0; c < model->columnCount(); ++c) {
                if (model->headerData(c, Qt::Horizontal).toString() == title)
                    column = c;
            }
            QVERIFY2(column >= 0, qPrintable(title));
            QVERIFY(!table->isColumnHidden(column));
            const int width = table->columnWidth(column);
            for (int row = 0; row < model->rowCount(); ++row) {
                const QModelIndex index = model->index(row, column);
                int needed = metrics.horizontalAdvance(index.data().toString()) + margins;
                if (!index.data(Qt::DecorationRole).isNull())
                    needed += table->iconSize().width() + 4;
                QVERIFY2(needed <= width,
                    qPrintable(QStringLiteral("%1 “%2” needs %3 px, has %4")
                                   .arg(title, index.data().toString())
                                   .arg(needed)
                                   .arg(width)));
                ++checked;
            }
        }
        QVERIFY(checked >= 3 * 60);
    }

    void windowFitsTheScreen()
    {
        App app;
        App::Options options;
        options.size = QSize(); // as the app opens itself
        QVERIFY(app.start(options));
        const QRect available = app.window()->screen()->availableGeometry();
        const QRect frame = app.window()->frameGeometry();
        QVERIFY2(available.contains(frame),
            qPrintable(QStringLiteral("window %1×%2 at %3,%4; screen %5×%6 (scale %7)")
                           .arg(frame.width())
                           .arg(frame.height())
                           .arg(frame.x())
                           .arg(frame.y())
                           .arg(available.width())
                           .arg(available.height())
                           .arg(app.window()->devicePixelRatioF())));
    }
};

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
