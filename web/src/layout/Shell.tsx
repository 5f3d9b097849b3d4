import { QueryClientProvider } from "@tanstack/react-query";
import { Button, Layout, Menu, Space, Typography } from "antd";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { queries } from "../api/queries";
import { useAuth } from "../auth/AuthContext";
import { rememberLanguage } from "../i18n";
import { desksFor, roleName } from "../roles";

export default function Shell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { me, permissions, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const desks = desksFor(permissions);
  const selected = desks.filter((d) => location.pathname.startsWith(d.path)).map((d) => d.key);
  dayjs.locale(i18n.language === "en" ? "en" : "zh-cn");
  return (
    <QueryClientProvider client={queries}>
      <Layout style={{ minHeight: "100vh" }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
          <div style={{ padding: "16px", fontWeight: 600 }}>FourS</div>
          <nav aria-label={t("app.name")}>
            <Menu
              mode="inline"
              selectedKeys={selected}
              items={desks.map((desk) => ({ key: desk.key, label: <Link to={desk.path}>{t(desk.label)}</Link> }))}
            />
          </nav>
        </Layout.Sider>
        <Layout>
          <Layout.Header style={{ background: "#fff", display: "flex", justifyContent: "flex-end", paddingInline: 16 }}>
            <Space>
              <Typography.Text data-testid="whoami">
                {me?.username} · {roleName(t, me?.role ?? "")}
              </Typography.Text>
              <Button type="link" onClick={() => void rememberLanguage(i18n.language === "en" ? "zh-CN" : "en")}>
                {t("app.language")}
              </Button>
              <Button
                onClick={async () => {
                  await signOut();
                  queries.clear();
                  navigate("/login", { replace: true });
                }}
              >
                {t("app.signOut")}
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 16 }}>{children}</Layout.Content>
        </Layout>
      </Layout>
    </QueryClientProvider>
  );
}
