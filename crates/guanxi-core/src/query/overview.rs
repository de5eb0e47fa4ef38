//! The overview (issue 15): the most important entities of a date range or of one community,
//! coloured by community and tied by their backbone; the communities named by their top members;
//! the histogram of articles per date.
//!
//! Importance is weighted PageRank in the graph of the range (a roster sentence cannot inflate
//! it, see [`crate::graph::rank`]); communities are the whole graph's (Louvain), so that colours
//! and names stay put while the range moves; the backbone keeps each entity's heaviest ties.

use super::count32;
use super::types::{
    ArticleRef, Community, CommunityMember, DateCount, DateHistogram, GraphEdge, Overview, OverviewNode,
    OverviewRequest,
};
use super::RangeGraph;
use crate::error::{Error, Result};
use crate::graph::Analysis;
use crate::store::{EntityRow, Store};
use crate::vocab::{DateRange, EntityId};
use std::collections::{BTreeSet, HashMap};

/// How many members name a community.
const NAME_MEMBERS: usize = 3;
/// Members listed with each community of an overview.
const LISTED_MEMBERS: usize = 5;
/// Top articles listed for a community.
const COMMUNITY_ARTICLES: usize = 12;
/// Members whose mentions choose a community's top articles.
const ARTICLE_MEMBERS: usize = 200;

/// The date range an overview request asks for (an error names a bound that is not a date).
pub fn overview_range(request: &OverviewRequest) -> Result<DateRange> {
    if request.from.is_none() && request.to.is_none() && !request.undated {
        return Ok(DateRange::dated_only());
    }
    DateRange::new(request.from.as_deref(), request.to.as_deref())
        .map_err(|reason| Error::InvalidRequest { what: "the overview's date range".to_string(), reason })
}

/// The overview of the whole graph (`in_range` none) or of the graph of a date range (see
/// [`overview_range`]); `whole` is the whole graph's analysis, for communities always and for
/// ranks when there is no range.
pub fn overview(
    store: &Store,
    whole: &Analysis,
    in_range: Option<&RangeGraph>,
    request: &OverviewRequest,
) -> Result<Overview> {
    if let Some(c) = request.community {
        if c as usize >= whole.communities().len() {
            return Err(Error::InvalidRequest {
                what: format!("community {c}"),
                reason: format!("no such community (there are {})", whole.communities().len()),
            });
        }
    }
    let range = in_range.map_or_else(DateRange::default, |graph| graph.range.clone());
    let local = in_range.map_or(whole, RangeGraph::analysis);
    let candidates: Vec<EntityId> = local
        .by_rank()
        .into_iter()
        .filter(|id| request.community.is_none() || whole.community(*id) == request.community)
        .collect();
    let total = candidates.len() as u32;
    let selected: Vec<EntityId> = candidates.iter().copied().take(request.max_nodes as usize).collect();
    let rows: HashMap<EntityId, EntityRow> = match in_range {
        Some(graph) => selected.iter().filter_map(|id| graph.entity(*id).map(|row| (*id, row.clone()))).collect(),
        None => store.entities_by_ids(&selected)?.into_iter().map(|e| (e.id, e)).collect(),
    };
    let dates = store.entity_dates(&selected, &range)?;
    let mut nodes = Vec::with_capacity(selected.len());
    for id in &selected {
        let row = rows.get(id).ok_or_else(|| missing(*id, "its row"))?;
        let community = whole.community(*id).ok_or_else(|| missing(*id, "its community"))?;
        let (first_date, last_date) = dates.get(id).cloned().unzip();
        nodes.push(OverviewNode {
            id: *id,
            label: row.name.clone(),
            kind: row.kind,
            pinyin: row.pinyin.clone(),
            rank: local.rank(*id),
            community,
            mentions: count32(row.mentions),
            articles: count32(row.articles),
            degree: local.degree(*id),
            first_date,
            last_date,
        });
    }
    let edges = local
        .backbone(&selected, request.backbone as usize)
        .into_iter()
        .map(|tie| GraphEdge {
            id: format!("{}:{}:{}", tie.kind.as_str(), tie.source.0, tie.target.0),
            source: tie.source,
            target: tie.target,
            kind: tie.kind,
            weight: count32(tie.weight),
            first_date: None,
            last_date: None,
        })
        .collect();
    let present: BTreeSet<u32> = nodes.iter().map(|n| n.community).collect();
    let communities =
        present.into_iter().map(|c| community(store, whole, c, LISTED_MEMBERS)).collect::<Result<Vec<_>>>()?;
    let articles = match request.community {
        Some(_) => {
            let members: Vec<EntityId> = candidates.iter().copied().take(ARTICLE_MEMBERS).collect();
            store
                .articles_mentioning(&members, &range, COMMUNITY_ARTICLES)?
                .into_iter()
                .map(|(id, title, source, date, n, copies)| ArticleRef {
                    id: count32(id),
                    title,
                    source,
                    date,
                    mentions: count32(n),
                    copies: count32(copies),
                })
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Overview { nodes, edges, communities, total, articles })
}

/// The whole graph's communities, most important first (at most `limit`), each with its top
/// `members`.
pub fn communities(store: &Store, whole: &Analysis, limit: usize, members: usize) -> Result<Vec<Community>> {
    (0..whole.communities().len().min(limit) as u32).map(|c| community(store, whole, c, members)).collect()
}

/// One community: its name (top three members), size and top `members`.
fn community(store: &Store, whole: &Analysis, id: u32, members: usize) -> Result<Community> {
    let all = whole.communities().get(id as usize).ok_or_else(|| missing(EntityId(0), "a community"))?;
    let top: Vec<EntityId> = all.iter().copied().take(members.max(NAME_MEMBERS)).collect();
    let rows: HashMap<EntityId, EntityRow> = store.entities_by_ids(&top)?.into_iter().map(|e| (e.id, e)).collect();
    let mut listed = Vec::with_capacity(top.len());
    for member in &top {
        let row = rows.get(member).ok_or_else(|| missing(*member, "its row"))?;
        listed.push(CommunityMember {
            id: *member,
            label: row.name.clone(),
            kind: row.kind,
            rank: whole.rank(*member),
        });
    }
    let name = listed.iter().take(NAME_MEMBERS).map(|m| m.label.as_str()).collect::<Vec<_>>().join(" · ");
    listed.truncate(members);
    Ok(Community { id, name, size: all.len() as u32, members: listed })
}

/// Articles per publication date, undated ones counted apart.
pub fn date_histogram(store: &Store) -> Result<DateHistogram> {
    let mut histogram = DateHistogram { days: Vec::new(), undated: 0 };
    for (date, n) in store.articles_per_date()? {
        match date {
            Some(date) => histogram.days.push(DateCount { date, articles: count32(n) }),
            None => histogram.undated += count32(n),
        }
    }
    Ok(histogram)
}

fn missing(id: EntityId, what: &str) -> Error {
    Error::Internal { context: format!("building the overview (entity {id})"), reason: format!("{what} is missing") }
}
