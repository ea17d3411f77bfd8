-- grain: one row per role a line or text table plays in one of the organisation's
--        documents (seed config/roles): the frame, the efficiency requirement, the result
--        goal, tax revenue, a cost-risk text table, a fee to a joint body …
--        A line key is stable across the organisation's documents: a printed line of a
--        document without a role of its own takes the role the same table and line key
--        has in the organisation's other documents (inherited = true). Text roles are
--        never inherited: texts belong to their document.
-- parameters: $org_id
-- scope: $org_id
-- units: none; target_key is the line a joint body's fee sits in (samverkan), else empty
with own as (
    select
        doc_id,
        role,
        table_id,
        line_key,
        target_key,
        row_no
    from line_roles
    where org_id = $org_id
),

org_roles as (
    select
        table_id,
        line_key,
        min(role) as role,
        min(target_key) as target_key,
        min(row_no) as row_no
    from own
    where line_key <> ''
    group by table_id, line_key
    having count(distinct role) = 1 and count(distinct target_key) = 1
),

printed as (
    select distinct
        doc_id,
        table_id,
        line_key
    from figures
    where org_id = $org_id
),

inherited as (
    select
        printed.doc_id,
        org_roles.role,
        printed.table_id,
        printed.line_key,
        org_roles.target_key,
        org_roles.row_no
    from printed
    inner join org_roles using (table_id, line_key)
    where not exists (
        select 1
        from own
        where own.doc_id = printed.doc_id
            and own.table_id = printed.table_id
            and own.line_key = printed.line_key
    )
),

final as (
    select
        doc_id,
        role,
        table_id,
        line_key,
        target_key,
        false as inherited,
        row_no
    from own
    union all
    select
        doc_id,
        role,
        table_id,
        line_key,
        target_key,
        true as inherited,
        row_no
    from inherited
)

select
    doc_id,
    role,
    table_id,
    line_key,
    target_key,
    inherited
from final
order by doc_id, row_no
