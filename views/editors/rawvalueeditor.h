#pragma once

#include "editors/fieldeditor.h"

class QLineEdit;

/**
 * The read-only fallback: an Unknown type, or a raw value (FieldValue::isRaw()) whatever the
 * type. Shows the JSON compactly on one line (the full text in the tooltip); value() returns the
 * value exactly as set, so it is never written back changed. Never emits edited().
 */
class RawValueEditor final : public FieldEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RawValueEditor)

public:
    explicit RawValueEditor(const FieldDefinition &definition, QWidget *parent = nullptr);
    ~RawValueEditor() override;

    FieldValue value() const override { return m_value; }
    void setValue(const FieldValue &value) override;
    /** Always read-only: the request is ignored. */
    void setReadOnly(bool readOnly) override;
    bool isReadOnly() const override { return true; }
    QWidget *focusTarget() override;

    /** The text shown (compact JSON), for tests. */
    QString displayText() const;

private:
    QLineEdit *m_edit = nullptr;
    FieldValue m_value;
};
