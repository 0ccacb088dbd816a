#pragma once

#include <QWidget>

class ObjectSchema;
class PipelineBoardModel;
class PipelineBoardView;
class QComboBox;

/**
 * The workspace's Board page: a pipeline selector above the PipelineBoardView. The selector
 * is shown only while the deal schema has pipelines (ObjectSchema::pipelines(), setSchema());
 * "All pipelines" shows every deal, another entry PipelineBoardModel::setPipeline(). Focus given to
 * the page goes to the board.
 *
 * Borrows the model, which must outlive the page.
 */
class PipelineBoardPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PipelineBoardPage)

public:
    explicit PipelineBoardPage(PipelineBoardModel &model, QWidget *parent = nullptr);
    ~PipelineBoardPage() override;

    PipelineBoardView *board() const { return m_board; }
    /**
     * Lists the schema's pipelines in the selector, or hides it when there are none. The
     * model's pipeline stays chosen while it is still an option; otherwise the board goes back
     * to every pipeline.
     */
    void setSchema(const ObjectSchema &schema);

private:
    PipelineBoardModel &m_model;
    PipelineBoardView *m_board = nullptr;
    QWidget *m_pipelineRow = nullptr;
    QComboBox *m_pipelineBox = nullptr;
};
