with final as (
    select
        location_id,
        report_date,
        key_question,
        rating,
        report_link,
        date_basis
    from main.cqc_ratings
)

select * from final
