#include "pipelineboardpage.h"

#include "board/pipelineboardview.h"
#include "domain/objectschema.h"
#include "itemmodels/pipelineboardmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

PipelineBoardPage::PipelineBoardPage(PipelineBoardModel &model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("boardPage"));
    m_board = new PipelineBoardView(this);
    m_board->setObjectName(QStringLiteral("pipelineBoard"));
    m_board->setModel(&m_model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pipelineRow = new QWidget(this);
    auto *pipelineLayout = new QHBoxLayout(m_pipelineRow);
    pipelineLayout->setContentsMargins(4, 2, 4, 2);
    m_pipelineBox = new QComboBox(m_pipelineRow);
    m_pipelineBox->setObjectName(QStringLiteral("pipelineSelector"));
    m_pipelineBox->setAccessibleName(tr("Pipeline"));
    auto *pipelineLabel = new QLabel(tr("&Pipeline:"), m_pipelineRow);
    pipelineLabel->setBuddy(m_pipelineBox);
    pipelineLayout->addWidget(pipelineLabel);
    pipelineLayout->addWidget(m_pipelineBox);
    pipelineLayout->addStretch(1);
    layout->addWidget(m_pipelineRow);
    layout->addWidget(m_board, 1);
    connect(m_pipelineBox, &QComboBox::activated, this,
        [this](int index) { m_model.setPipeline(m_pipelineBox->itemData(index).toString()); });
    // The keyboard belongs to the cards: a page switch (Ctrl+Alt+2) lands on them.
    setFocusProxy(m_board);
    setSchema(ObjectSchema());
}

PipelineBoardPage::~PipelineBoardPage() = default;

void PipelineBoardPage::setSchema(const ObjectSchema &schema)
{
    // The pipelines of the definitions: `$pipeline`'s options, or those the stages name.
    const QList<SelectOption> pipelines = schema.pipelines();
    const bool has = !pipelines.isEmpty();
    m_pipelineRow->setVisible(has);
    const QString current = m_model.pipeline();
    m_pipelineBox->clear();
    if (!has)
        return;
    m_pipelineBox->addItem(tr("All pipelines"), QString());
    for (const SelectOption &option : pipelines)
        m_pipelineBox->addItem(option.label.isEmpty() ? option.id : option.label, option.id);
    const int index = m_pipelineBox->findData(current);
    m_pipelineBox->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0)
        m_model.setPipeline(QString());
}
