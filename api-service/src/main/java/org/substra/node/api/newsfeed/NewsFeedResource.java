package org.substra.node.api.newsfeed;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.substra.node.api.auth.CurrentUser;
import org.substra.node.api.listing.Listing;

/** The channel's news feed (REST spec §4.11). */
@Path("/news_feed/")
@Produces(MediaType.APPLICATION_JSON)
public class NewsFeedResource {

  private final NewsFeed feed;
  private final CurrentUser current;

  NewsFeedResource(NewsFeed feed, CurrentUser current) {
    this.feed = feed;
    this.current = current;
  }

  @GET
  public Uni<Map<String, Object>> list(@Context UriInfo uri) {
    return feed.page(current.channel(), new Listing(uri, 100));
  }
}
