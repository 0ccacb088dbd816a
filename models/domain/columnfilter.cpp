#include "domain/columnfilter.h"

using Op = ColumnFilter::Operator;

QList<ColumnFilter::Operator> ColumnFilter::operatorsFor(FieldType type)
{
    switch (type) {
    case FieldType::Number:
    case FieldType::Currency:
    case FieldType::DateTime:
        return {Op::Equal, Op::GreaterThan, Op::GreaterOrEqual, Op::LessThan, Op::LessOrEqual,
            Op::IsEmpty, Op::IsNotEmpty};
    case FieldType::Checkbox:
        return {Op::Equal, Op::IsEmpty, Op::IsNotEmpty};
    case FieldType::MultiSelect:
        return {Op::Equal, Op::Contains, Op::IsEmpty, Op::IsNotEmpty};
    case FieldType::SingleSelect:
    default:
        return {Op::Equal, Op::StartsWith, Op::Contains, Op::IsEmpty, Op::IsNotEmpty};
    }
}

QList<ColumnFilter::Operator> ColumnFilter::relationshipOperators()
{
    return {Op::Equal, Op::StartsWith, Op::Contains, Op::IsEmpty, Op::IsNotEmpty};
}
